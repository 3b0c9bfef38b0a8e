"""Each page of the web app against the floor of its own stack, single client, through a real server.

Run by hand:
    .venv/bin/python benches/web.py                       # this checkout, SQLite, 2,000 proposals
    .venv/bin/python benches/web.py --before-python /old/.venv/bin/python --before-source /tmp/before/src
                                                          # and other code beside it, request for request
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ch_bench .venv/bin/python benches/web.py

The site: the default call open today, 2,000 proposals (two authors each), 200 reviewers with 3 reviews per
proposal (half written), 20 chapters with authors and versions in a launched volume. The floor is a view that
returns "ok" through the same settings, middleware and server (benches/web_settings.py, which also reports each
response's SQL query count in a header). Each page: one warm-up request, then the median of --repeats sequential
requests on one kept connection; with a "before" code base, the two servers are asked in turn, so that a
machine shared with other work loads both alike. Prints ms, queries and × floor against the issue's targets (public pages ≤ 2×,
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


def sample(client: Client, path: str, ok=(200,)) -> tuple[float, int]:
    """One GET: (seconds, SQL queries)."""
    started = time.perf_counter()
    status, headers, body = client.request("GET", path)
    elapsed = time.perf_counter() - started
    assert status in ok, f"{path}: {status} {body[:300]}"
    return elapsed, int(headers.get("X-Bench-Queries", "-1"))


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


def sample_post(client: Client, slug: str, n: int, attachment: bytes) -> tuple[float, int]:
    """One proposal POST with ``attachment`` (its form GET before it is not timed): (seconds, SQL queries)."""
    body, content_type = multipart(proposal_fields(client, slug, n), {"attachment": ("outline.docx", attachment, DOCX)})
    started = time.perf_counter()
    status, headers, page = client.request("POST", f"/calls/{slug}/propose/", body, content_type)
    elapsed = time.perf_counter() - started
    assert status == 302 and "/proposals/received/" in headers.get("Location", ""), f"POST: {status} {page[:500]}"
    return elapsed, int(headers.get("X-Bench-Queries", "-1"))


# -- the run ---------------------------------------------------------------------------------------------------

def environment(source: str | None, data: str) -> dict:
    paths = [p for p in (source, str(PROJECT), str(HERE)) if p]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAPTERHOUSE_")}
    env.update(CHAPTERHOUSE_DATA=data, DJANGO_SETTINGS_MODULE="web_settings", LOG_LEVEL="ERROR",
               CHAPTERHOUSE_SUBMISSION_RATE="100000/h", PYTHONDONTWRITEBYTECODE="1",
               CHAPTERHOUSE_DEFAULT_CALL=str(PROJECT / "calls" / "dscu-fms-2024.toml"),
               PYTHONPATH=os.pathsep.join(paths + [env.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    if env.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = fresh_postgres_database(env["DATABASE_URL"], f"_web{len(data) % 97}")
    return env


class Side:
    """One code base under test: its own data folder, seeded site and server."""

    def __init__(self, name: str, python: str, source: str | None, port: int, args):
        self.name, self.python, self.port = name, python, port
        self.env = environment(source, tempfile.mkdtemp(prefix=f"chapterhouse-web-{name}-"))
        subprocess.run([python, "-m", "chapterhouse.site.cli", "setup"], env=self.env, check=True, capture_output=True)
        seeded = subprocess.run([python, __file__, "--seed", "--proposals", str(args.proposals), "--reviewers",
                                 str(args.reviewers), "--chapters", str(args.chapters)],
                                env=self.env, check=True, capture_output=True, text=True)
        self.site = json.loads(seeded.stdout.strip().splitlines()[-1])
        command = [python, "-m", "chapterhouse.site.cli", "serve", "--port", str(port), "--threads", str(args.threads)]
        if args.workers and name == "after":
            command += ["--workers", str(args.workers)]
        self.server = subprocess.Popen(command, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self._wait()
        self.anonymous, self.editor, self.author, self.reviewer = (Client(port) for _ in range(4))

    def _wait(self) -> None:
        for _ in range(600):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                connection.request("GET", "/bench/floor/", headers={"Host": "localhost"})
                connection.getresponse().read()
                return
            except OSError:
                if self.server.poll() is not None:
                    raise SystemExit(f"the {self.name} server stopped: " + self.server.stderr.read())
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"the {self.name} server did not start")

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=60)

    def pages(self) -> list:
        """(label, client, path, target × floor, statuses accepted) for every page measured."""
        slug, site = self.site["call"], self.site
        return [
            ("call page", self.anonymous, f"/calls/{slug}/", PUBLIC, (200,)),
            ("proposal form (GET)", self.anonymous, f"/calls/{slug}/propose/", PUBLIC, (200,)),
            ("catalogue", self.anonymous, "/books/", PUBLIC, (200,)),
            ("public chapter page", self.anonymous, f"/books/{slug}/chapters/1/", PUBLIC, (200,)),
            ("catalogue API", self.anonymous, "/api/catalogue/", PUBLIC, (200,)),
            ("volume API", self.anonymous, f"/api/catalogue/{slug}/", PUBLIC, (200,)),
            ("/healthz", self.anonymous, "/healthz", PUBLIC, (200, 503)),  # 503: no worker runs in the bench
            ("desk list", self.editor, f"/desk/calls/{slug}/proposals/", LOGGED_IN, (200,)),
            ("desk proposal", self.editor, f"/desk/proposals/{site['proposal']}/", LOGGED_IN, (200,)),
            ("board", self.editor, "/chapters/board/", LOGGED_IN, (200,)),
            ("selection page", self.editor, f"/selection/desk/calls/{slug}/", LOGGED_IN, (200,)),
            ("author's chapter page", self.author, f"/chapters/{site['chapter']}/", LOGGED_IN, (200,)),
            ("reviewer home", self.reviewer, "/review/", LOGGED_IN, (200,)),
        ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", default=str(PROJECT / ".venv" / "bin" / "python"))
    parser.add_argument("--source", help="the src/ folder of the code to measure (default: what --python imports)")
    parser.add_argument("--before-python", help="also measure this interpreter's code, interleaved request by request")
    parser.add_argument("--before-source", help="the src/ folder of that code (e.g. a worktree of main)")
    parser.add_argument("--port", type=int, default=8120, help="the server's port (the 'before' one: the next)")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, help="web processes of the measured code (code with --workers only)")
    parser.add_argument("--proposals", type=int, default=2000)
    parser.add_argument("--reviewers", type=int, default=200)
    parser.add_argument("--chapters", type=int, default=20)
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed:
        print(json.dumps(seed(args.proposals, args.reviewers, args.chapters)))
        return 0

    print(f"load average before: {load_average()}", flush=True)
    sides = []
    try:
        if args.before_python or args.before_source:
            sides.append(Side("before", args.before_python or args.python, args.before_source, args.port + 1, args))
        sides.append(Side("after", args.python, args.source, args.port, args))
        for side in sides:
            print(f"{side.name}: {side.site['code']}; database: {side.env.get('DATABASE_URL', 'SQLite')}", flush=True)
        print(f"{args.proposals} proposals, {args.reviewers} reviewers, {args.chapters} chapters; median of "
              f"{args.repeats}{', requests alternating between the two servers' if len(sides) > 1 else ''}", flush=True)
        ok = measure(args, sides)
    finally:
        for side in sides:
            side.stop()
    print(f"load average after: {load_average()}")
    return 0 if ok else 1


def interleaved(sides: list, repeats: int, one) -> list[tuple[float, int]]:
    """(median ms, queries) per side, ``one(side, n)`` called for each side in turn, after one warm-up each."""
    times: list[list[float]] = [[] for _ in sides]
    queries = [0] * len(sides)
    for n in range(repeats + 1):
        for i, side in enumerate(sides):
            seconds, queries[i] = one(side, n)
            if n:
                times[i].append(seconds)
    return [(statistics.median(t) * 1000, q) for t, q in zip(times, queries)]


def measure(args, sides: list) -> bool:
    floor = interleaved(sides, args.repeats, lambda side, n: sample(side.anonymous, "/bench/floor/"))
    login = interleaved(sides, 5, lambda side, n: (Client(side.port).log_in(side.site["editor"]), 0))
    for side in sides:
        side.editor.log_in(side.site["editor"])
        side.author.log_in(side.site["author"])
        side.reviewer.log_in(side.site["reviewer"])
    rows = []
    for k, (label, _, _, target, _) in enumerate(sides[0].pages()):
        figures = interleaved(sides, args.repeats, lambda side, n: sample(*[side.pages()[k][i] for i in (1, 2, 4)]))
        rows.append((label, figures, target))
    attachment = eight_page_docx()
    figures = interleaved(sides, max(5, args.repeats // 3),
                          lambda side, n: sample_post(side.anonymous, side.site["call"], n, attachment))
    rows.append(("proposal POST (8-page .docx)", figures, POST))
    header = "".join(f"{side.name + ' ms':>12}{'queries':>9}{'× floor':>9}" for side in sides)
    print(f"\n{'page':<30}{header}{'target':>8}")
    print(f"{'stack floor':<30}" + "".join(f"{ms:>12.1f}{'':>9}{1:>9.1f}" for ms, _ in floor))
    ok = True
    for label, figures, target in rows:
        cells = "".join(f"{ms:>12.1f}{q:>9}{ms / f:>9.1f}" for (ms, q), (f, _) in zip(figures, floor))
        over = figures[-1][0] / floor[-1][0] > target
        ok = ok and not over
        print(f"{label:<30}{cells}{'≤' + format(target, 'g'):>8}{'  over' if over else ''}")
    print(f"{'log-in POST (argon2)':<30}" + "".join(f"{ms:>12.1f}{'':>9}{ms / f:>9.1f}" for (ms, _), (f, _) in
                                                   zip(login, floor)) + f"{'—':>8}")
    return ok


if __name__ == "__main__":
    sys.exit(main())
