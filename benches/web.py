"""Each page of the web app against the floor of its own stack, single client, through a real server.

Run by hand:
    .venv/bin/python benches/web.py                       # this checkout, SQLite, 2,000 proposals
    .venv/bin/python benches/web.py --source /tmp/before/src --python /path/to/old/.venv/bin/python
                                                          # the same bench on other code (a "before" figure)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ch_bench .venv/bin/python benches/web.py

The site: the default call open today, 2,000 proposals (two authors each), 200 reviewers with 3 reviews per
proposal (half written), 20 chapters with authors and versions in a launched volume. The floor is a view that
returns "ok" through the same settings, middleware and server (benches/web_settings.py, which also reports each
response's SQL query count in a header). Each page: one warm-up request, then the median of --repeats sequential
requests on one kept connection. Prints ms, queries and × floor against the issue's targets (public pages ≤ 2×,
pages behind log-in ≤ 4×, the proposal POST with an 8-page .docx ≤ 10×; the log-in POST is reported, bound by
argon2 by design), and the load average before and after.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(HERE))
from load import ABSTRACT, fresh_postgres_database, multipart  # noqa: E402

PASSWORD = "bench-password-1"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PUBLIC, LOGGED_IN, POST = 2.0, 4.0, 10.0


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# -- the site (run in the server's own environment: `web.py --seed`) -------------------------------------------

def seed(proposals: int, reviewers: int, chapters: int) -> dict:
    import django

    django.setup()
    import datetime as dt

    from django.conf import settings
    from django.utils import timezone

    import chapterhouse
    from chapterhouse.call.loading import install_call_file
    from tests.perf import bulk

    call = install_call_file(settings.CHAPTERHOUSE_DEFAULT_CALL, open_on=timezone.localdate() - dt.timedelta(days=7))
    editor, author = bulk.editor(), bulk.author()
    made = bulk.proposals(call, proposals, author)
    panel = bulk.reviewers(reviewers)
    pairs = [(p, panel[(i * 3 + k) % len(panel)]) for i, p in enumerate(made) for k in range(3)]
    bulk.assignments(pairs, editor, reviewed=len(pairs) // 2)
    written = bulk.chapters(call, chapters, author, editor, start=proposals + 1)
    bulk.launched(call)
    return {"call": call.slug, "proposal": made[len(made) // 2].reference, "chapter": written[0].pk,
            "editor": editor.username, "author": author.username, "reviewer": panel[0].username,
            "code": str(Path(chapterhouse.__file__).parent)}


def eight_page_docx() -> bytes:
    """About 3,600 words under headings, with a table and a running header: eight pages in Word's default style."""
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Security cooperation case reform"
    document.add_heading("Streamlining technology release in security cooperation cases", 0)
    sentence = ("The tiered review of technology release shapes how quickly partners receive what they asked for, "
                "and reform of the case process has changed who decides and when. ")
    for section in range(1, 7):
        document.add_heading(f"Part {section}: what the cases show", 1)
        for _ in range(5):
            document.add_paragraph(sentence * 5)
    table = document.add_table(rows=6, cols=3)
    for row in table.rows:
        for cell in row.cells:
            cell.text = "Case, partner, months"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- a client on one kept connection ---------------------------------------------------------------------------

class Client:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = ""):
        headers = {"Host": "localhost"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers.update({"Content-Type": content_type, "Referer": f"http://localhost{path}",
                            "Origin": "http://localhost"})
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                answer = self.connection.getresponse()
                content = answer.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()  # the server closed a kept connection: open another once
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        for value in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        if answer.getheader("Connection", "").lower() == "close":
            self.connection.close()
        return answer.status, answer.headers, content.decode("utf-8", "replace")

    def form(self, path: str, fields: dict):
        return self.request("POST", path, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def log_in(self, username: str) -> float:
        self.request("GET", "/accounts/login/")
        started = time.perf_counter()
        status, _, _ = self.form("/accounts/login/", {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
                                                      "username": username, "password": PASSWORD})
        assert status == 302, f"log-in as {username} failed ({status})"
        return time.perf_counter() - started


def timed(client: Client, path: str, repeats: int, ok=(200,)) -> tuple[float, int]:
    status, headers, body = client.request("GET", path)
    assert status in ok, f"{path}: {status} {body[:300]}"
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        status, headers, _ = client.request("GET", path)
        times.append(time.perf_counter() - started)
        assert status in ok, f"{path}: {status}"
    return statistics.median(times) * 1000, int(headers.get("X-Bench-Queries", "-1"))


def proposal_fields(client: Client, slug: str, n: int) -> dict:
    _, _, page = client.request("GET", f"/calls/{slug}/propose/")
    token = re.search(r'name="submission_token" value="([^"]+)"', page)
    fields = {
        "csrfmiddlewaretoken": client.cookies.get("csrftoken", ""), "title": f"Bench proposal {n} on case reform",
        "theme": "process", "abstract": ABSTRACT, "keywords": "technology release, process",
        "builds_on_existing_work": "no", "funding_requested": "no", "access_requested": "no",
        "attest_unclassified": "on", "contact": "1", "authors-TOTAL_FORMS": "1", "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "1", "authors-MAX_NUM_FORMS": "6", "authors-0-name": f"Bench Author {n}",
        "authors-0-email": f"bench.{n}@example.org", "authors-0-affiliation": "Example University",
        "authors-0-bio": "Writes on security cooperation.",
    }
    if token:
        fields["submission_token"] = token.group(1)
    return fields


def timed_posts(client: Client, slug: str, repeats: int, attachment: bytes) -> tuple[float, int]:
    times, queries = [], -1
    for n in range(repeats + 1):
        body, content_type = multipart(proposal_fields(client, slug, n), {"attachment": ("outline.docx", attachment, DOCX)})
        started = time.perf_counter()
        status, headers, page = client.request("POST", f"/calls/{slug}/propose/", body, content_type)
        elapsed = time.perf_counter() - started
        assert status == 302 and "/proposals/received/" in headers.get("Location", ""), f"POST: {status} {page[:500]}"
        if n:  # the first is the warm-up
            times.append(elapsed)
            queries = int(headers.get("X-Bench-Queries", "-1"))
    return statistics.median(times) * 1000, queries


# -- the run ---------------------------------------------------------------------------------------------------

def environment(args, data: str) -> dict:
    paths = [p for p in (args.source, str(PROJECT), str(HERE)) if p]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAPTERHOUSE_")}
    env.update(CHAPTERHOUSE_DATA=data, DJANGO_SETTINGS_MODULE="web_settings", LOG_LEVEL="ERROR",
               CHAPTERHOUSE_SUBMISSION_RATE="100000/h", PYTHONDONTWRITEBYTECODE="1",
               CHAPTERHOUSE_DEFAULT_CALL=str(PROJECT / "calls" / "dscu-fms-2024.toml"),
               PYTHONPATH=os.pathsep.join(paths + [env.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    if env.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = fresh_postgres_database(env["DATABASE_URL"], "_web")
    return env


def start(args, env: dict) -> subprocess.Popen:
    command = [args.python, "-m", "chapterhouse.cli", "serve", "--port", str(args.port), "--threads", str(args.threads)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(600):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            connection.request("GET", "/bench/floor/", headers={"Host": "localhost"})
            connection.getresponse().read()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("the server stopped: " + server.stderr.read())
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", help="the src/ folder of the code to measure (default: what --python imports)")
    parser.add_argument("--python", default=str(PROJECT / ".venv" / "bin" / "python"))
    parser.add_argument("--port", type=int, default=8120)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, help="web processes (code that has --workers only)")
    parser.add_argument("--proposals", type=int, default=2000)
    parser.add_argument("--reviewers", type=int, default=200)
    parser.add_argument("--chapters", type=int, default=20)
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed:
        print(json.dumps(seed(args.proposals, args.reviewers, args.chapters)))
        return 0

    data = tempfile.mkdtemp(prefix="chapterhouse-web-bench-")
    env = environment(args, data)
    print(f"load average before: {load_average()}", flush=True)
    subprocess.run([args.python, "-m", "chapterhouse.cli", "setup"], env=env, check=True, capture_output=True)
    seeded = subprocess.run([args.python, __file__, "--seed", "--proposals", str(args.proposals), "--reviewers",
                             str(args.reviewers), "--chapters", str(args.chapters)],
                            env=env, check=True, capture_output=True, text=True)
    site = json.loads(seeded.stdout.strip().splitlines()[-1])
    print(f"code: {site['code']}; database: {env.get('DATABASE_URL', 'SQLite')}; {args.proposals} proposals, "
          f"{args.reviewers} reviewers, {args.chapters} chapters; median of {args.repeats}", flush=True)
    server = start(args, env)
    try:
        rows = measure(args, site)
    finally:
        server.terminate()
        server.wait(timeout=60)
    print(f"load average after: {load_average()}")
    return 0 if all(ok for *_, ok in rows) else 1


def measure(args, site: dict) -> list:
    slug, repeats = site["call"], args.repeats
    anonymous, editor, author, reviewer = (Client(args.port) for _ in range(4))
    floor, _ = timed(anonymous, "/bench/floor/", repeats)
    login_ms = statistics.median([Client(args.port).log_in(site["editor"]) for _ in range(5)]) * 1000
    editor.log_in(site["editor"])
    author.log_in(site["author"])
    reviewer.log_in(site["reviewer"])
    pages = [  # label, client, path, target (× floor), statuses accepted
        ("call page", anonymous, f"/calls/{slug}/", PUBLIC, (200,)),
        ("proposal form (GET)", anonymous, f"/calls/{slug}/propose/", PUBLIC, (200,)),
        ("catalogue", anonymous, "/books/", PUBLIC, (200,)),
        ("public chapter page", anonymous, f"/books/{slug}/chapters/1/", PUBLIC, (200,)),
        ("catalogue API", anonymous, "/api/catalogue/", PUBLIC, (200,)),
        ("volume API", anonymous, f"/api/catalogue/{slug}/", PUBLIC, (200,)),
        ("/healthz", anonymous, "/healthz", PUBLIC, (200, 503)),  # 503 without a worker running
        ("desk list", editor, f"/desk/calls/{slug}/proposals/", LOGGED_IN, (200,)),
        ("desk proposal", editor, f"/desk/proposals/{site['proposal']}/", LOGGED_IN, (200,)),
        ("board", editor, "/chapters/board/", LOGGED_IN, (200,)),
        ("selection page", editor, f"/selection/desk/calls/{slug}/", LOGGED_IN, (200,)),
        ("author's chapter page", author, f"/chapters/{site['chapter']}/", LOGGED_IN, (200,)),
        ("reviewer home", reviewer, "/review/", LOGGED_IN, (200,)),
    ]
    print(f"\n{'page':<30}{'ms':>8}{'queries':>9}{'× floor':>9}{'target':>8}")
    print(f"{'stack floor':<30}{floor:>8.1f}{'':>9}{1:>9.1f}")
    rows = []
    for label, client, path, target, ok in pages:
        ms, queries = timed(client, path, repeats, ok)
        rows.append((label, ms, queries, target, ms / floor <= target))
    ms, queries = timed_posts(anonymous, slug, max(5, repeats // 3), eight_page_docx())
    rows.append(("proposal POST (8-page .docx)", ms, queries, POST, ms / floor <= POST))
    for label, ms, queries, target, ok in rows:
        print(f"{label:<30}{ms:>8.1f}{queries:>9}{ms / floor:>9.1f}{'≤' + format(target, 'g'):>8}{'' if ok else '  over'}")
    print(f"{'log-in POST (argon2)':<30}{login_ms:>8.1f}{'':>9}{login_ms / floor:>9.1f}{'—':>8}")
    return rows


if __name__ == "__main__":
    sys.exit(main())
