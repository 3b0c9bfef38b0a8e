"""The worker's pulse: a row per worker process, touched every few seconds, read by /healthz and by the sweep
that takes long jobs back from workers that died (``jobs.py``)."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from chapterhouse.outbox.models import WorkerHeartbeat

# A worker silent for longer than this is taken to be down (CHAPTERHOUSE_WORKER_TIMEOUT seconds).
ALIVE_WITHIN = timedelta(seconds=settings.CHAPTERHOUSE_WORKER_TIMEOUT)

_this_worker = ""


def set_this_worker(worker_id: str) -> None:
    """Called once by ``chapterhouse worker``: the id its heartbeat and its claims carry."""
    global _this_worker
    _this_worker = worker_id


def this_worker() -> str:
    """The id of the worker this process is; a process that is not one (a test, a shell) gets a name of its own."""
    return _this_worker or f"process-{socket.gethostname()[:80]}-{os.getpid()}"


def beat(worker_id: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at,
                  "last_seen": timezone.now()},
    )


def live_workers(now: datetime | None = None):
    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(last_seen__gte=now - ALIVE_WITHIN)
