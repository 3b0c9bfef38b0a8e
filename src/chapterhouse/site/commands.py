"""``chapterhouse serve`` and ``chapterhouse setup``, and the hand-off to Django's management commands."""

from __future__ import annotations

import os
import sys

from chapterhouse.web.cli import setup_django


def run_django_command(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["chapterhouse", *argv])
    return 0


# What nginx or Caddy in front sets: the client's address, the scheme it used, and the host it asked for.
DEFAULT_PROXY_HEADERS = "x-forwarded-for x-forwarded-proto x-forwarded-host"


def proxy_options(trusted_proxy: str, headers: str, count: int) -> dict:
    """The trusted-proxy settings (waitress' names; ``site/server.py`` applies them with waitress' middleware).
    Without a trusted proxy every X-Forwarded-* header is dropped, so a client cannot claim another address or
    https; with one, REMOTE_ADDR and wsgi.url_scheme come from that proxy's headers, and Django's https
    redirect, HSTS, CSRF origin check, the submission rate limit and the log-in lock-out all see the real client."""
    if not trusted_proxy.strip():
        return {}
    return {
        "trusted_proxy": trusted_proxy.strip(),
        "trusted_proxy_headers": " ".join(headers.replace(",", " ").split()),
        "trusted_proxy_count": count,
        "clear_untrusted_proxy_headers": True,
    }


def register(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="serve the web app (gunicorn: a process per core, threads in each)")
    serve.add_argument("--host", default=os.environ.get("CHAPTERHOUSE_HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("CHAPTERHOUSE_PORT", "8000")))
    serve.add_argument("--workers", type=int, default=None,
                       help="web processes (default: one per core; env CHAPTERHOUSE_WEB_PROCESSES)")
    serve.add_argument("--threads", type=int, default=int(os.environ.get("CHAPTERHOUSE_WEB_THREADS", "8")),
                       help="threads in each process (default 8; env CHAPTERHOUSE_WEB_THREADS)")
    serve.add_argument("--trusted-proxy", default=os.environ.get("CHAPTERHOUSE_TRUSTED_PROXY", ""),
                       help="address of the reverse proxy in front (e.g. 127.0.0.1); its X-Forwarded-* headers "
                            "then give the client's address and scheme (env CHAPTERHOUSE_TRUSTED_PROXY)")
    serve.add_argument("--trusted-proxy-headers",
                       default=os.environ.get("CHAPTERHOUSE_TRUSTED_PROXY_HEADERS", DEFAULT_PROXY_HEADERS),
                       help=f"headers believed from that proxy (default: {DEFAULT_PROXY_HEADERS})")
    serve.add_argument("--trusted-proxy-count", type=int,
                       default=int(os.environ.get("CHAPTERHOUSE_TRUSTED_PROXY_COUNT", "1")),
                       help="how many proxies in a row to believe (default 1)")
    serve.set_defaults(handler=serve_app)

    setup = subparsers.add_parser("setup", help="migrate the database and load the default call if absent")
    setup.add_argument("--demo", action="store_true", help="also create demo accounts and sample proposals, and print the logins")
    setup.set_defaults(handler=setup_site)

    manage = subparsers.add_parser("manage", help="run a Django management command", add_help=False)
    manage.add_argument("rest", nargs="*")
    manage.set_defaults(handler=lambda args: run_django_command(args.rest or ["help"]))


def setup_site(args) -> int:
    setup_django()
    from django.core.management import call_command

    call_command("setup_site", demo=args.demo)
    return 0


def serve_app(args) -> int:
    setup_django()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from chapterhouse.site.server import default_processes, serve
    from chapterhouse.wsgi import application

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        print("The database is not up to date: run `chapterhouse setup` first.", file=sys.stderr)
        return 1
    from django.conf import settings

    proxy = proxy_options(args.trusted_proxy, args.trusted_proxy_headers, args.trusted_proxy_count)
    if settings.SECURE_SSL_REDIRECT and not proxy:
        print("Warning: https redirects are on but no trusted proxy is set, so every request looks like plain "
              "http and is redirected; behind nginx or Caddy set CHAPTERHOUSE_TRUSTED_PROXY (docs/deploy.md).",
              file=sys.stderr, flush=True)
    from chapterhouse.screening.theme_fit import warm_up

    warm_up()  # scikit-learn's import costs the first submission over a second otherwise; the workers inherit it
    processes = args.workers or default_processes()
    behind = f" behind the proxy at {proxy['trusted_proxy']}" if proxy else ""
    print(f"chapterhouse is running at http://{args.host}:{args.port}/{behind} with {processes} process(es) × "
          f"{args.threads} threads  (Ctrl+C stops it)", flush=True)
    serve(application, host=args.host, port=args.port, processes=processes, threads=args.threads, proxy=proxy)
    return 0

