"""Beyond one machine: web processes and workers that share nothing but one PostgreSQL database and one
S3-compatible store (moto's server here). Each process gets its own data folder, as on its own machine.

- Two web processes on different ports: a session, an upload and a state change made through one are seen
  through the other.
- Two workers (django-tasks' database backend) draining one outbox: each message is sent exactly once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest

from tests.fixtures.files import word_file
from tests.ops.objectstore import CREDENTIALS, s3_client, s3_server
from tests.ops.servers import Client, Process, serve
from tests.ops.sites import Site, drop_postgres_database, postgres_database
from tests.proposals.test_propose_view import form_data

PASSWORD = "a-long-author-passphrase"
AUTHOR = ("from django.contrib.auth.models import User; from chapterhouse.accounts.roles import ensure_groups; "
          f"u = User.objects.create_user('ana', 'ana@example.edu', '{PASSWORD}', first_name='Ana', last_name='Lima'); "
          "u.groups.add(ensure_groups()['author'])")
SHARED_SETTINGS = {"SECRET_KEY": "s" * 50, "CHAPTERHOUSE_TASK_BACKEND": "django_tasks_db.DatabaseBackend", **CREDENTIALS}


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One PostgreSQL database and one bucket, with the schema, the open call and an author in them."""
    folder = tmp_path_factory.mktemp("cluster")
    database = postgres_database("scale_out")
    with s3_server(folder) as endpoint:
        s3_client(endpoint).create_bucket(Bucket="volume")
        settings = {**SHARED_SETTINGS, "CHAPTERHOUSE_STORAGE": f"s3://volume/files?endpoint_url={endpoint}"}
        first = Site(folder / "machine-a", database, settings)
        first.run("setup")
        first.run("call", "load", "calls/dscu-fms-2024.toml",
                  "--open-on", (dt.date.today() - dt.timedelta(days=7)).isoformat())
        first.run("shell", "-c", AUTHOR)
        yield {"folder": folder, "database": database, "settings": settings}
    drop_postgres_database(database)


@pytest.fixture(scope="module")
def two_web_processes(shared):
    machines = [Site(shared["folder"] / name, shared["database"], shared["settings"]) for name in ("machine-a", "machine-b")]
    servers = [serve(machine.env, machine.folder / "serve.log") for machine in machines]
    yield servers
    for server in servers:
        assert "Traceback" not in server.stop()


def csrf_token(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_a_session_an_upload_and_a_state_change_through_one_process_are_seen_through_the_other(two_web_processes):
    a, b = two_web_processes
    through_a = Client(a.port)
    origin = {"Origin": "http://localhost"}
    token = csrf_token(through_a.get("/accounts/login/"))
    signed_in = through_a.post("/accounts/login/", {"csrfmiddlewaretoken": token, "username": "ana",
                                                    "password": PASSWORD}, headers=origin)
    assert signed_in.status == 302, signed_in.text[:500]
    through_b = Client(b.port, cookies=dict(through_a.cookies))  # the same browser, routed to the other process
    page = through_b.get("/my/proposals/")
    assert page.status == 200 and "Ana" in page.text  # the session made on A is known to B

    outline = word_file("An outline uploaded through one web process and read through the other.")
    token = csrf_token(through_a.get("/calls/dscu-fms-2024/propose/"))
    fields = {**form_data(**{"authors-0-name": "Ana Lima", "authors-0-email": "ana@example.edu"}),
              "csrfmiddlewaretoken": token}
    sent = through_a.request("POST", "/calls/dscu-fms-2024/propose/", form=fields, headers=origin,
                             files={"attachment": ("outline.docx", outline, "application/vnd.openxmlformats-"
                                                   "officedocument.wordprocessingml.document")})
    assert sent.status == 302, sent.text[:2000]
    listing = through_b.get("/my/proposals/").text
    reference = re.search(r"FMS-\d{4}", listing).group(0)
    download = through_b.get(f"/proposals/{reference}/attachment/")
    assert download.status == 200 and download.body == outline  # stored in the bucket by A, read back by B

    token = csrf_token(through_a.get(f"/my/proposals/{reference}/"))
    withdrawn = through_a.post(f"/my/proposals/{reference}/withdraw/",
                               {"csrfmiddlewaretoken": token, "reason": "Placed elsewhere.", "confirm": "yes"},
                               headers=origin)
    assert withdrawn.status == 302
    assert "Withdrawn" in through_b.get(f"/my/proposals/{reference}/").text


QUEUE = """
from django.db import transaction
from chapterhouse.outbox.mail import queue_mail
with transaction.atomic():
    for n in range({count}):
        queue_mail("outbox/test_message.txt", {{"n": n}}, [f"reader{{n}}@example.org"], kind="scale-out test")
"""


def sent_to(folder: Path) -> list[str]:
    """Recipients of every message a worker's file mail backend wrote (one file can hold several messages)."""
    mail = folder / "data" / "mail"
    files = [p.read_text() for p in mail.iterdir()] if mail.exists() else []
    return [to for text in files for to in re.findall(r"^To: (.+)$", text, re.M)]


def outbox(site: Site) -> list[tuple[str, str, int]]:
    """(recipient, state, attempts) of every message in the shared outbox."""
    script = ("import json; from chapterhouse.outbox.models import Message as M; "
              "print(json.dumps(list(M.objects.values_list('to', 'state', 'attempts'))))")
    return [tuple(row) for row in json.loads(site.run("shell", "-c", script).stdout.strip().splitlines()[-1])]


def test_two_workers_send_each_message_exactly_once(shared):
    """Everything in the shared outbox (these 40 and any mail earlier tests queued) is sent once, not twice."""
    count = 40
    machines = [Site(shared["folder"] / f"worker-{n}", shared["database"], shared["settings"]) for n in (1, 2)]
    machines[0].run("shell", "-c", QUEUE.format(count=count))
    queued = outbox(machines[0])
    assert {f"reader{n}@example.org" for n in range(count)} <= {to for to, _, _ in queued}
    workers = [Process(m.env, "worker", "--interval", "0.1", "--tick", "0.5", log=m.folder.parent / f"{m.folder.name}.log")
               for m in machines]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and sum(len(sent_to(m.folder)) for m in machines) < len(queued):
            time.sleep(0.5)
        time.sleep(3)  # a second copy, if any, would be written by now
    finally:
        logs = [worker.stop() for worker in workers]
    per_worker = [sent_to(m.folder) for m in machines]
    assert sorted(to for sent in per_worker for to in sent) == sorted(to for to, _, _ in queued), logs
    assert {(state, attempts) for _, state, attempts in outbox(machines[0])} == {("sent", 1)}
    print(f"messages sent by each worker: {[len(sent) for sent in per_worker]}")
