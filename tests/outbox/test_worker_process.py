"""`chapterhouse worker` as a real process: it sends what a committed transaction queued, and stops cleanly."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
CHAPTERHOUSE = Path(sys.executable).with_name("chapterhouse")


def run(env, *args, **kwargs):
    return subprocess.run([str(CHAPTERHOUSE), *args], env=env, capture_output=True, text=True, timeout=120, **kwargs)


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="runs on its own SQLite file; the PostgreSQL suite covers workers in tests/ops")
def test_the_worker_sends_queued_mail_and_beats(tmp_path):
    env = {**os.environ, "CHAPTERHOUSE_DATA": str(tmp_path), "CHAPTERHOUSE_TASK_BACKEND": "django_tasks_db.DatabaseBackend"}
    env.pop("DATABASE_URL", None)
    assert run(env, "migrate", "--verbosity", "0").returncode == 0
    queue = (
        "from django.db import transaction\n"
        "from django.utils import timezone\n"
        "from chapterhouse.outbox.mail import schedule_delivery\n"
        "from chapterhouse.outbox.models import Message\n"
        "with transaction.atomic():\n"
        "    m = Message.objects.create(to='author@example.org', subject='Your proposal', body='Thanks\\n',"
        " next_attempt_at=timezone.now())\n"
        "    schedule_delivery(m.pk)\n"
    )
    assert run(env, "shell", "-c", queue).returncode == 0
    worker = subprocess.Popen([str(CHAPTERHOUSE), "worker", "--tick", "0.5", "--interval", "0.2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        mail_dir = tmp_path / "mail"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (mail_dir.exists() and any(mail_dir.iterdir())):
            time.sleep(0.3)
        sent = [p.read_text() for p in mail_dir.iterdir()] if mail_dir.exists() else []
        assert any("Subject: Your proposal" in text and "To: author@example.org" in text for text in sent)
        check = run(env, "shell", "-c",
                    "from chapterhouse.outbox.models import Message, WorkerHeartbeat as H;"
                    "print(Message.objects.get().state, H.objects.count())")
        assert check.stdout.strip().splitlines()[-1].split() == ["sent", "1"], check.stderr
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output


def test_the_worker_refuses_the_immediate_backend(tmp_path):
    env = {**os.environ, "CHAPTERHOUSE_DATA": str(tmp_path),
           "CHAPTERHOUSE_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    env.pop("DATABASE_URL", None)
    result = run(env, "worker")
    assert result.returncode != 0 and "database task backend" in result.stderr
