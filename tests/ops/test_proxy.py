"""Production mode behind a TLS-terminating reverse proxy, end to end: `chapterhouse serve` (waitress) with its
trusted-proxy settings, behind a small proxy of this test's own on loopback (tests/ops/proxy.py, doing what
deploy/nginx.conf does). Several clients speak from different loopback addresses, as people behind one proxy do.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import sqlite3
import ssl
import time

import pytest

from tests.ops.proxy import ReverseProxy, self_signed_certificate
from tests.ops.servers import Client, chapterhouse, environment, serve
from tests.proposals.test_propose_view import form_data

PROPOSE = "/calls/dscu-fms-2024/propose/"
LOGIN = "/accounts/login/"
PASSWORD = "a-long-editor-passphrase"
EDITOR = ("from django.contrib.auth.models import User; from chapterhouse.accounts.roles import ensure_groups; "
          f"u = User.objects.create_user('editor', 'editor@example.org', '{PASSWORD}'); "
          "u.groups.add(ensure_groups()['editor'])")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("proxied")
    env = environment(folder / "data", CHAPTERHOUSE_ENV="production", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="localhost",
                      CHAPTERHOUSE_TRUSTED_PROXY="127.0.0.1", CHAPTERHOUSE_SUBMISSION_RATE="2/h",
                      CHAPTERHOUSE_LOGIN_FAILURE_LIMIT="3",
                      EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend")
    chapterhouse(env, "setup")
    chapterhouse(env, "call", "load", "calls/dscu-fms-2024.toml",
                 "--open-on", (dt.date.today() - dt.timedelta(days=7)).isoformat())
    chapterhouse(env, "shell", "-c", EDITOR)
    server = serve(env, folder / "serve.log")
    certificate = self_signed_certificate(folder)
    trust = ssl.create_default_context(cafile=str(certificate[0]))
    with ReverseProxy(server.port) as plain, ReverseProxy(server.port, certificate) as tls:
        yield {"plain": plain.port, "tls": tls.port, "trust": trust, "server": server,
               "database": folder / "data" / "chapterhouse.sqlite3"}
    log = server.stop()
    assert "Traceback" not in log, log


def https_client(site, source="127.0.0.2"):
    return Client(site["tls"], source=source, tls=site["trust"])


def csrf_token(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_plain_http_is_redirected_once_to_https_and_https_is_served_with_hsts(site):
    redirect = Client(site["plain"], source="127.0.0.2").get(LOGIN)
    assert redirect.status == 301 and redirect.header("Location") == "https://localhost/accounts/login/"
    page = https_client(site).get(LOGIN)
    assert page.status == 200, page.text[:500]  # no redirect loop: waitress believed the proxy's https
    assert page.header("Strict-Transport-Security") == "max-age=3600"
    assert "Secure" in page.header("Set-Cookie")


def test_headers_a_client_sends_straight_to_waitress_are_not_believed(site):
    """Only the trusted proxy may say a request was https or came from elsewhere."""
    forged = Client(site["server"].port, source="127.0.0.9").get(
        LOGIN, headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3"})
    assert forged.status == 301 and forged.header("Location").startswith("https://")


def test_posts_through_the_proxy_pass_csrf_with_a_token_and_fail_without(site):
    person = https_client(site, "127.0.0.3")
    token = csrf_token(person.get(LOGIN))
    origin = {"Origin": "https://localhost", "Referer": "https://localhost/accounts/login/"}
    signed_in = person.post(LOGIN, {"csrfmiddlewaretoken": token, "username": "editor", "password": PASSWORD},
                            headers=origin)
    assert signed_in.status == 302, signed_in.text[:800]  # not 403 "Origin checking failed"
    assert person.get("/desk/calls/dscu-fms-2024/proposals/").status == 200  # the editor is signed in
    no_token = https_client(site, "127.0.0.4")
    no_token.get(LOGIN)
    assert no_token.post(LOGIN, {"username": "editor", "password": PASSWORD}, headers=origin).status == 403
    elsewhere = https_client(site, "127.0.0.4")
    token = csrf_token(elsewhere.get(LOGIN))
    forged_origin = {"Origin": "https://evil.example", "Referer": "https://evil.example/"}
    assert elsewhere.post(LOGIN, {"csrfmiddlewaretoken": token, "username": "editor", "password": PASSWORD},
                          headers=forged_origin).status == 403


def test_the_log_in_lock_out_is_per_client_not_for_the_whole_site(site):
    origin = {"Origin": "https://localhost"}
    attacker = https_client(site, "127.0.0.5")
    for _ in range(3):
        token = csrf_token(attacker.get(LOGIN))
        attacker.post(LOGIN, {"csrfmiddlewaretoken": token, "username": "editor", "password": "wrong"}, headers=origin)
    token = csrf_token(attacker.get(LOGIN))
    locked = attacker.post(LOGIN, {"csrfmiddlewaretoken": token, "username": "editor", "password": PASSWORD},
                           headers=origin)
    assert locked.status == 429 and "Too many failed log-ins" in locked.text
    colleague = https_client(site, "127.0.0.6")
    token = csrf_token(colleague.get(LOGIN))
    assert colleague.post(LOGIN, {"csrfmiddlewaretoken": token, "username": "editor", "password": PASSWORD},
                          headers=origin).status == 302
    with sqlite3.connect(site["database"]) as db:
        addresses = {row[0] for row in db.execute("SELECT ip_address FROM axes_accessattempt")}
    assert addresses == {"127.0.0.5"}  # the client's address, not the proxy's 127.0.0.1


def test_the_submission_rate_limit_counts_each_client_apart(site):
    origin = {"Origin": "https://localhost"}

    def propose(person, n):
        token = csrf_token(person.get(PROPOSE))
        data = form_data(**{"authors-0-email": f"a{n}@example.edu", "authors-1-email": f"b{n}@example.edu"})
        return person.post(PROPOSE, {**data, "csrfmiddlewaretoken": token}, headers=origin)

    busy = https_client(site, "127.0.0.7")
    assert [propose(busy, n).status for n in range(3)] == [302, 302, 429]
    other = https_client(site, "127.0.0.8")
    assert propose(other, 3).status == 302


def test_production_logs_are_json_lines_with_the_client_and_path(site):
    assert https_client(site, "127.0.0.10").get("/no-such-page/").status == 404
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        records = [json.loads(line) for line in site["server"].log.read_text().splitlines() if line.startswith("{")]
        found = [r for r in records if r.get("path") == "/no-such-page/"]
        if found:
            break
        time.sleep(0.2)
    assert found and found[0]["levelname"] == "WARNING" and found[0]["client"] == "127.0.0.10"
    assert found[0]["name"] == "django.request" and found[0]["method"] == "GET" and "time" in found[0]
