"""Many people at once against a running chapterhouse: call page, form, submissions with attachments, log-ins
and desk searches; then a check that every receipt is a stored, whole proposal.

Run by hand:
    .venv/bin/python benches/load.py                      # starts its own server (SQLite) on port 8100
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wt_hardening .venv/bin/python benches/load.py --port 8101
    .venv/bin/python benches/load.py --url http://127.0.0.1:8000 --no-serve   # a server you started
    .venv/bin/python benches/load.py --workers 1          # one web process (the default is one per core)
    .venv/bin/python benches/load.py --python /old/.venv/bin/python --source /tmp/before/src   # other code

    .venv/bin/python benches/load.py --scaling            # 1 process, then 2: the throughput ratio
    .venv/bin/python benches/load.py --mix pages --scaling  # pages only: no log-ins (argon2), no submissions

Prints requests/s, p50/p95/p99 latency and errors per kind of request, then the receipts check. Beside the
throughput it prints the CPU seconds the server's processes used (from /proc/<pid>/stat of the server and its
children), per request, and the machine's idle share over the run: on a machine with 2 cores shared with the
bench's own client, 2 processes cannot do 2× the work of 1 once the machine has no idle time left, and the idle
share says whether it had any. The
reference is the issue's figure: 0 errors (it was 258 of 464 POSTs failing on SQLite, 2.9% on PostgreSQL).
With its own server the bench uses a fresh data folder (and a fresh database named after DATABASE_URL's with
"_load" appended on PostgreSQL), the demo accounts and a submission rate limit high enough for one address.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import io
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from collections import defaultdict
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))  # run as a script or loaded from a file path (a test)
import proctree  # noqa: E402

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = str(PROJECT / ".venv" / "bin" / "python")
ABSTRACT = (
    "This chapter examines how the security cooperation case process shapes the release of technology to allies "
    "and partner nations. It traces the Tiered Review and Congressional Notification processes through three "
    "recent cases, asks what the Continuous Process Improvement Board has changed in practice, and compares the "
    "reform with earlier acquisition and contracting reform efforts. Drawing on interviews with case managers at "
    "implementing agencies, it shows where deliberate decision-making protects outcomes and where it only adds "
    "delay, and it proposes metrics for the award process that partners could also use to counter corruption in "
    "their own defense acquisition systems. The chapter ends with lessons for planning multi-year cases."
)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def outline_docx() -> bytes:
    """A small, valid Word file: the attachment every simulated author sends."""
    body = "".join(f"<w:p><w:r><w:t>Outline point {n} on security cooperation case reform.</w:t></w:r></w:p>" for n in range(1, 12))
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Visitor:
    """One simulated person with their own cookies; records (kind, seconds, ok) for every request."""

    def __init__(self, base: str, results: list, lock: threading.Lock):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)
        self.results = results
        self.lock = lock

    def request(self, kind: str, path: str, data: bytes | None = None, content_type: str = "", expect=(200,)):
        headers = {"Content-Type": content_type} if content_type else {}
        if data is not None:
            headers["Referer"] = self.base + path
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        started = time.perf_counter()
        status, body, location = 0, "", ""
        try:
            with self.opener.open(request, timeout=120) as response:
                status, body = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location", "")
            body = error.read().decode("utf-8", "replace")
        except OSError as error:
            body = repr(error)
        elapsed = time.perf_counter() - started
        with self.lock:
            self.results.append((kind, elapsed, status in expect, status))
        return status, body, location

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name == "csrftoken"), "")

    def call_page(self, slug: str):
        self.request("call page", f"/calls/{slug}/")

    def submit(self, slug: str, attachment: bytes, receipts: list) -> None:
        status, page, _ = self.request("form", f"/calls/{slug}/propose/")
        token = re.search(r'name="submission_token" value="([^"]+)"', page)
        n = uuid.uuid4().hex[:10]
        fields = {
            "csrfmiddlewaretoken": self.csrf(), "title": f"Load test proposal {n} on case reform", "theme": "process",
            "abstract": ABSTRACT, "keywords": "technology release, process", "builds_on_existing_work": "no",
            "funding_requested": "no", "access_requested": "no", "attest_unclassified": "on", "contact": "1",
            "authors-TOTAL_FORMS": "1", "authors-INITIAL_FORMS": "0", "authors-MIN_NUM_FORMS": "1",
            "authors-MAX_NUM_FORMS": "6", "authors-0-name": f"Load Author {n}", "authors-0-email": f"load.{n}@example.org",
            "authors-0-affiliation": "Example University", "authors-0-bio": "Writes on security cooperation.",
        }
        if token:
            fields["submission_token"] = token.group(1)
        body, content_type = multipart(fields, {"attachment": (f"outline-{n}.docx", attachment,
                                                              "application/vnd.openxmlformats-officedocument.wordprocessingml.document")})
        status, page, location = self.request("submission", f"/calls/{slug}/propose/", body, content_type, expect=(302,))
        if status == 302 and "/proposals/received/" in location:
            with self.lock:
                receipts.append(location.rstrip("/").rsplit("/", 1)[-1])
        elif status:
            error = re.search(r"<div class=\"callout callout-error.*?</div>", page, re.S)
            print(f"  submission refused ({status}): {(error.group(0) if error else page)[:300]!r}", file=sys.stderr)

    def log_in_and_search(self, username: str, password: str, slug: str) -> None:
        self.request("log-in page", "/accounts/login/")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf(), "username": username, "password": password}).encode()
        self.request("log-in", "/accounts/login/", body, "application/x-www-form-urlencoded", expect=(302,))
        term = random.choice(["security", "reform", "load", "case", "technology"])
        self.request("desk search", f"/desk/calls/{slug}/proposals/?q={term}")
        self.request("log-out", "/accounts/logout/", urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf()}).encode(),
                     "application/x-www-form-urlencoded", expect=(302,))


    def logged_in(self, username: str, password: str) -> "Visitor":
        """Logs in with its requests left out of the results (the ``pages`` mix logs each editor in once, before)."""
        kept, self.results = self.results, []
        self.request("log-in page", "/accounts/login/")
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf(), "username": username, "password": password}).encode()
        self.request("log-in", "/accounts/login/", body, "application/x-www-form-urlencoded", expect=(302,))
        self.results = kept
        return self


MIXES = {
    "all": "30% call page; 50% form and submission with a .docx; 20% log-in (argon2), desk search, log-out",
    "pages": "pages only, no log-in or submission in the run: 40% call page, 20% form, 10% catalogue, "
             "30% desk search by an editor logged in before the run",
}


def run_load(base: str, users: int, seconds: float, slug: str, editor: tuple[str, str],
             mix: str = "all", on_start=lambda: None) -> tuple[list, list]:
    """``on_start`` is called when the measured run starts (after the ``pages`` mix's log-ins)."""
    results: list = []
    receipts: list = []
    lock = threading.Lock()
    attachment = outline_docx()
    desks = [Visitor(base, results, lock).logged_in(*editor) for _ in range(users)] if mix == "pages" else []
    on_start()
    deadline = time.monotonic() + seconds

    def person(index: int) -> None:
        rng = random.Random(index)
        while time.monotonic() < deadline:
            visitor = Visitor(base, results, lock)
            choice = rng.random()
            if mix == "pages":
                if choice < 0.4:
                    visitor.call_page(slug)
                elif choice < 0.6:
                    visitor.request("form", f"/calls/{slug}/propose/")
                elif choice < 0.7:
                    visitor.request("catalogue", "/books/")
                else:
                    term = rng.choice(["security", "reform", "load", "case", "technology"])
                    desks[index].request("desk search", f"/desk/calls/{slug}/proposals/?q={term}")
            elif choice < 0.3:
                visitor.call_page(slug)
            elif choice < 0.8:
                visitor.submit(slug, attachment, receipts)
            else:
                visitor.log_in_and_search(*editor, slug)

    threads = [threading.Thread(target=person, args=(i,), daemon=True) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, receipts


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) used so far by ``root`` and every live process below it."""
    return sum(usage.cpu_seconds for usage in proctree.tree(root))


def machine_times() -> tuple[float, float]:
    """(idle, total) jiffies of all cores since boot, from /proc/stat (idle counts iowait)."""
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    return values[3] + values[4], sum(values[:8])


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def report(results: list, seconds: float) -> int:
    by_kind = defaultdict(list)
    for kind, elapsed, ok, status in results:
        by_kind[kind].append((elapsed, ok, status))
    errors = sum(1 for r in results if not r[2])
    print(f"{len(results)} requests in {seconds:.0f} s: {len(results) / seconds:.1f} requests/s, {errors} errors")
    print(f"{'request':<14}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for kind, rows in sorted(by_kind.items()):
        times = [t * 1000 for t, _, _ in rows]
        failed = [s for _, ok, s in rows if not ok]
        print(f"{kind:<14}{len(rows):>7}{percentile(times, .5):>9.0f}{percentile(times, .95):>9.0f}"
              f"{percentile(times, .99):>9.0f}{len(failed):>8}" + (f"  statuses {sorted(set(failed))}" if failed else ""))
    everything = [t * 1000 for _, t, _, _ in results]
    print(f"{'all':<14}{len(results):>7}{percentile(everything, .5):>9.0f}{percentile(everything, .95):>9.0f}"
          f"{percentile(everything, .99):>9.0f}{errors:>8}")
    return errors


def verify_receipts(receipts: list[str], env: dict, python: str = PYTHON) -> list[str]:
    """Runs in a child process with the server's settings: every receipt a whole proposal, nothing half-stored."""
    code = r"""
import hashlib, json, sys
import django; django.setup()
from chapterhouse.proposals.models import Proposal
from chapterhouse.workflow.transitions import history
receipts = json.load(sys.stdin)
problems, blind = [], {}
stored = {p.reference: p for p in Proposal.objects.filter(reference__in=receipts).prefetch_related("authors", "screenings")}
for ref in receipts:
    p = stored.get(ref)
    if p is None:
        problems.append(f"{ref}: receipt given but no proposal stored"); continue
    if p.authors.count() < 1: problems.append(f"{ref}: no authors")
    if p.call_id not in blind: blind[p.call_id] = p.call.definition.review.double_blind
    expected = 4 if blind[p.call_id] else 3  # markings, scope, theme fit, and anonymity under double-blind
    if p.screenings.count() != expected: problems.append(f"{ref}: {p.screenings.count()} screening results, not {expected}")
    if len(history(p)) < 1: problems.append(f"{ref}: no audit entry")
    a = getattr(p, "attachment", None)
    if a is None: problems.append(f"{ref}: attachment missing")
    elif hashlib.sha256(a.file.open("rb").read()).hexdigest() != a.sha256: problems.append(f"{ref}: attachment file differs")
for p in Proposal.objects.exclude(reference__in=receipts).filter(title__startswith="Load test"):
    problems.append(f"{p.reference}: stored without a receipt")
by_call = {}
for call_id, number in Proposal.objects.values_list("call_id", "number"):
    by_call.setdefault(call_id, []).append(number)
for call_id, numbers in by_call.items():
    if sorted(numbers) != list(range(1, len(numbers) + 1)): problems.append(f"call {call_id}: proposal numbers have gaps or repeats")
if len(set(receipts)) != len(receipts): problems.append("the same receipt was given twice")
print(json.dumps(problems))
"""
    import json

    result = subprocess.run([python, "-c", code], input=json.dumps(receipts),
                            capture_output=True, text=True, env=env, timeout=600)
    if result.returncode:
        return [f"check failed: {result.stderr[-2000:]}"]
    return json.loads(result.stdout.strip().splitlines()[-1])


def server_env(port: int, data: str) -> dict:
    env = dict(os.environ, CHAPTERHOUSE_DATA=data, CHAPTERHOUSE_PORT=str(port), DJANGO_SETTINGS_MODULE="chapterhouse.settings",
               CHAPTERHOUSE_SUBMISSION_RATE="100000/h", LOG_LEVEL="ERROR")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        env["DATABASE_URL"] = fresh_postgres_database(url, "_load")
    return env


def fresh_postgres_database(url: str, suffix: str) -> str:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/") + suffix
    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path="/" + name).geturl()


def start_server(port: int, env: dict, threads: int, workers: int | None = None, python: str = PYTHON) -> subprocess.Popen:
    chapterhouse = [python, "-m", "chapterhouse.site.cli"]
    subprocess.run([*chapterhouse, "setup", "--demo"], env=env, check=True, capture_output=True, timeout=600)
    processes = ["--workers", str(workers)] if workers else []  # `serve`'s default: one per core
    server = subprocess.Popen([*chapterhouse, "serve", "--port", str(port), "--threads", str(threads), *processes],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return server
        except urllib.error.HTTPError:
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start: " + (server.stderr.read() if server.stderr else ""))


def one_run(args, workers: int | None, editor: tuple[str, str]) -> tuple[float, int]:
    """One server, one load, its report: (requests per second, errors and problems)."""
    server = None
    if args.no_serve:
        base = args.url or f"http://127.0.0.1:{args.port}"
        # The check reads the server's database with the project's settings, whatever this shell has set.
        env = dict(os.environ, CHAPTERHOUSE_DATA=args.data,
                   DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")) \
            if args.data else None
    else:
        data = tempfile.mkdtemp(prefix="chapterhouse-load-")
        env = server_env(args.port, data)
        if args.source:
            env["PYTHONPATH"] = args.source
        database = env.get("DATABASE_URL", "SQLite in " + data)
        processes = f"{workers} process(es)" if workers else "a process per core"
        print(f"Starting a server on port {args.port} ({database}, {processes} × {args.threads} threads; "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})…", flush=True)
        server = start_server(args.port, env, args.threads, workers, args.python)
        base = f"http://127.0.0.1:{args.port}"
    try:
        print(f"{args.users} users for {args.seconds:.0f} s against {base}; mix {args.mix}: {MIXES[args.mix]}",
              flush=True)
        start: dict = {}

        def on_start() -> None:
            start.update(server=tree_cpu(server.pid) if server else 0.0, client=time.process_time(),
                         machine=machine_times(), at=time.monotonic())

        results, receipts = run_load(base, args.users, args.seconds, args.call, editor, args.mix, on_start)
        elapsed = time.monotonic() - start["at"]
        server_cpu, client_cpu, (idle, total) = start["server"], start["client"], start["machine"]
        errors = report(results, elapsed)
        idle_after, total_after = machine_times()
        cores = os.cpu_count() or 1
        line = (f"CPU over the run: machine idle {100 * (idle_after - idle) / max(1, total_after - total):.0f}% of "
                f"{cores} core{'s' if cores != 1 else ''}; this client {time.process_time() - client_cpu:.1f} s")
        if server is not None:
            used = tree_cpu(server.pid) - server_cpu
            line += (f"; the server's processes {used:.1f} s ({100 * used / elapsed / cores:.0f}% of the machine), "
                     f"{1000 * used / max(1, len(results)):.1f} ms a request")
        print(line)
        print(f"load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
    throughput = len(results) / elapsed
    if env is None or args.mix != "all":
        print(f"{len(receipts)} receipts; not checked" + (" (give --data to check them against the database)"
                                                          if env is None else ""))
        return throughput, errors
    problems = verify_receipts(receipts, env, args.python)
    print(f"{len(receipts)} receipts: {len(receipts) - len({p.split(':')[0] for p in problems})} verified as whole stored proposals; "
          f"{len(problems)} problems")
    for problem in problems[:20]:
        print("  " + problem)
    return throughput, errors + len(problems)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--threads", type=int, default=8, help="server threads in each process")
    parser.add_argument("--workers", type=int, help="server processes (default: serve's own, one per core)")
    parser.add_argument("--python", default=PYTHON, help="the interpreter whose chapterhouse to run")
    parser.add_argument("--source", help="a src/ folder to run instead (e.g. a worktree of the code before a change)")
    parser.add_argument("--url", help="a running server (with --no-serve)")
    parser.add_argument("--no-serve", action="store_true", help="use the running server at --url; skips the check unless --data is given")
    parser.add_argument("--data", help="the running server's CHAPTERHOUSE_DATA, for the receipts check")
    parser.add_argument("--call", default="dscu-fms-2024")
    parser.add_argument("--editor", default="editor:chapterhouse-demo", help="user:password of an editor")
    parser.add_argument("--mix", choices=sorted(MIXES), default="all",
                        help="; ".join(f"{k}: {v}" for k, v in MIXES.items()).replace("%", "%%"))
    parser.add_argument("--scaling", action="store_true", help="run with 1 server process, then 2, and print the ratio")
    args = parser.parse_args(argv)
    editor = tuple(args.editor.split(":", 1))
    if not args.scaling:
        return 1 if one_run(args, args.workers, editor)[1] else 0
    if args.no_serve:
        parser.error("--scaling starts its own servers")
    (one, failed_one), (two, failed_two) = (one_run(args, n, editor) for n in (1, 2))
    print(f"\nthroughput: 1 process {one:.1f} requests/s, 2 processes {two:.1f} requests/s: {two / one:.2f}× "
          f"(mix {args.mix}; the issue's target ≥ 1.7×)")
    return 1 if failed_one or failed_two else 0


if __name__ == "__main__":
    sys.exit(main())
