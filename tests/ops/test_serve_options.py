"""`chapterhouse serve`'s options: the trusted proxy (applied by waitress' proxy middleware) and the processes."""

import os

from chapterhouse.site.cli import build_parser
from chapterhouse.site.commands import DEFAULT_PROXY_HEADERS, proxy_options


def test_no_trusted_proxy_means_waitress_believes_no_forwarded_header():
    assert proxy_options("", DEFAULT_PROXY_HEADERS, 1) == {}


def test_a_trusted_proxy_gives_waitress_its_address_headers_and_count():
    assert proxy_options(" 127.0.0.1 ", "x-forwarded-for, x-forwarded-proto", 2) == {
        "trusted_proxy": "127.0.0.1", "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto",
        "trusted_proxy_count": 2, "clear_untrusted_proxy_headers": True}


def test_the_environment_sets_them(monkeypatch):
    monkeypatch.setenv("CHAPTERHOUSE_TRUSTED_PROXY", "10.0.0.5")
    monkeypatch.delenv("CHAPTERHOUSE_TRUSTED_PROXY_HEADERS", raising=False)
    args = build_parser().parse_args(["serve"])
    options = proxy_options(args.trusted_proxy, args.trusted_proxy_headers, args.trusted_proxy_count)
    assert options["trusted_proxy"] == "10.0.0.5" and options["trusted_proxy_headers"] == DEFAULT_PROXY_HEADERS


def test_serve_runs_a_process_per_core_unless_told(monkeypatch):
    from chapterhouse.site.server import default_processes

    monkeypatch.delenv("CHAPTERHOUSE_WEB_PROCESSES", raising=False)
    assert default_processes() == len(os.sched_getaffinity(0))
    monkeypatch.setenv("CHAPTERHOUSE_WEB_PROCESSES", "3")
    assert default_processes() == 3
    assert build_parser().parse_args(["serve", "--workers", "5"]).workers == 5


def test_gunicorn_itself_believes_no_forwarded_header():
    """Only waitress' proxy middleware, from the one trusted proxy, may change the address or the scheme."""
    from chapterhouse.site.server import server_options

    options = server_options("127.0.0.1", 8000, 2, 8)
    assert options["forwarded_allow_ips"] == "" and options["secure_scheme_headers"] == {}
    assert options["workers"] == 2 and options["worker_class"] == "gthread" and options["threads"] == 8
