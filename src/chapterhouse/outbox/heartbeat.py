"""The worker's pulse: a row per worker process, touched every few seconds, read by /healthz."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from django.utils import timezone

from chapterhouse.outbox.models import WorkerHeartbeat

# A worker silent for longer than this is taken to be down.
ALIVE_WITHIN = timedelta(seconds=60)


def beat(worker_id: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at,
                  "last_seen": timezone.now()},
    )


def live_workers(now: datetime | None = None):
    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(last_seen__gte=now - ALIVE_WITHIN)
