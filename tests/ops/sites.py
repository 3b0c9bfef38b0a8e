"""Whole chapterhouse sites for the operations tests: a data folder and a database (SQLite, or a PostgreSQL
database made for the test), filled through the real intake code, and read back row by row and file by file."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_ABSTRACT
from tests.ops.servers import CHAPTERHOUSE, PROJECT, chapterhouse, environment

POSTGRES_SERVER = os.environ.get("CHAPTERHOUSE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def postgres_prefix() -> str:
    """Databases made by these tests start with the suite's own database name, so parallel runs never meet."""
    url = os.environ.get("DATABASE_URL", "")
    if os.environ.get("CHAPTERHOUSE_TEST_PG_PREFIX"):
        return os.environ["CHAPTERHOUSE_TEST_PG_PREFIX"]
    return url.rsplit("/", 1)[-1] if url.startswith("postgres") else "chapterhouse_test"


def postgres_database(name: str) -> str:
    """A new, empty PostgreSQL database (dropped first if a past run left it); skips where there is no server."""
    import psycopg
    from psycopg import sql

    full = f"{postgres_prefix()}_{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    try:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(full)))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(full)))
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL is not answering at {POSTGRES_SERVER} ({error}); CI's machines run it")
    return f"{POSTGRES_SERVER}/{full}"


def drop_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(url.rsplit("/", 1)[-1])))


# Submits `count` proposals, each with a Word outline attached, through the real intake (screening, audit row,
# queued mail), stopping early when the file `stop` appears.
WRITER = """
import io, pathlib
import docx
from chapterhouse.call.models import Call
from chapterhouse.proposals.attachments import inspect_attachment
from chapterhouse.proposals.intake import Submission, submit_proposal
stop, first, count = pathlib.Path({stop!r}), {first}, {count}
call = Call.objects.get(slug="dscu-fms-2024")
for n in range(first, first + count):
    if stop.exists():
        break
    document = docx.Document()
    document.add_paragraph(f"Outline {{n}}: how security cooperation cases move from request to delivery.")
    out = io.BytesIO(); document.save(out); data = out.getvalue()
    author = {{"name": f"Author {{n}}", "email": f"author{{n}}@example.edu", "affiliation": "Example University",
              "bio": "Writes on security cooperation."}}
    submit_proposal(call, Submission(
        title=f"Security cooperation case study {{n}}", theme="process", abstract={abstract!r},
        keywords="cases, process", authors=[author], attachment_name=f"outline-{{n}}.docx", attachment_bytes=data,
        inspected_attachment=inspect_attachment(f"outline-{{n}}.docx", data, ["docx"], 10**7)), "http://testserver")
"""


@dataclass
class Site:
    folder: Path
    database_url: str | None = None
    extra: dict[str, str] = field(default_factory=dict)  # more environment, e.g. CHAPTERHOUSE_STORAGE

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def env(self) -> dict[str, str]:
        database = {"DATABASE_URL": self.database_url} if self.database_url else {}
        return environment(self.data, **database, **self.extra)

    def run(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return chapterhouse(self.env, *args, **kwargs)

    def attempt(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*CHAPTERHOUSE, *args], env=self.env, cwd=PROJECT, capture_output=True, text=True,
                              timeout=300)

    def add_proposals(self, first: int, count: int) -> None:
        self.run("shell", "-c", WRITER.format(stop=str(self.folder / "stop"), first=first, count=count,
                                              abstract=SAMPLE_ABSTRACT))

    def start_writing(self, first: int, count: int) -> subprocess.Popen:
        """Starts a process that keeps submitting proposals, and returns once its first one is stored, so a backup
        taken next really runs while proposals arrive (a fast machine could otherwise finish it first)."""
        (self.folder / "stop").unlink(missing_ok=True)
        before = self.count("proposals.proposal")
        script = WRITER.format(stop=str(self.folder / "stop"), first=first, count=count, abstract=SAMPLE_ABSTRACT)
        writer = subprocess.Popen([*CHAPTERHOUSE, "shell", "-c", script], env=self.env, cwd=PROJECT,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 120
        while self.count("proposals.proposal") == before and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        return writer

    def stop_writing(self, writer: subprocess.Popen) -> None:
        (self.folder / "stop").touch()
        output, _ = writer.communicate(timeout=300)
        assert writer.returncode == 0, output

    def rows(self) -> dict[str, dict]:
        """Every row of every model, as Django serialises it (times to the microsecond), keyed "app.model:pk".

        The public pages' stamp is left out: it is cache state, not data, and a restore must replace it (loading
        the rows writes to the tables the public pages show, so copies kept by running processes are dropped)."""
        dump = self.run("dumpdata", "--all", "--indent", "0", "--format", "exactjson",
                        "--exclude", "web.publicstamp").stdout
        return {f"{row['model']}:{row['pk']}": row["fields"] for row in json.loads(dump)}

    def files(self) -> dict[str, str]:
        root = self.data / "files"
        return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in root.rglob("*") if p.is_file()} if root.exists() else {}

    def count(self, model: str) -> int:
        return sum(1 for key in self.rows() if key.startswith(model + ":"))
