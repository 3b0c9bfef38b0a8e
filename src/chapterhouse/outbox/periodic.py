"""Periodic jobs the worker runs: reminders, the outbox sweep, anything that must happen "every N minutes".

An app declares them in its own ``periodic.py``::

    from chapterhouse.outbox.periodic import every

    @every(minutes=60)
    def send_deadline_reminders(now): ...

Each job receives the time it runs at and must be idempotent (record what it did in the database): a worker
that was down runs it late, never twice at once — several workers on several machines claim a run with one
conditional UPDATE, so exactly one of them runs each due job.
"""

from __future__ import annotations

import importlib
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    interval: timedelta
    run: Callable[[datetime], object]


REGISTRY: dict[str, Job] = {}


def every(*, minutes: float = 0, hours: float = 0):
    interval = timedelta(minutes=minutes, hours=hours)
    if interval <= timedelta(0):
        raise ValueError("a periodic job needs a positive interval")

    def register(function: Callable[[datetime], object]):
        name = f"{function.__module__}.{function.__qualname__}"
        REGISTRY[name] = Job(name, interval, function)
        return function

    return register


def discover() -> dict[str, Job]:
    """Imports ``<app>.periodic`` for every chapterhouse app, which registers its jobs."""
    for config in apps.get_app_configs():
        if config.name.startswith("chapterhouse."):
            try:
                importlib.import_module(f"{config.name}.periodic")
            except ModuleNotFoundError as missing:
                if missing.name != f"{config.name}.periodic":
                    raise
    return REGISTRY


def _claim(job: Job, now: datetime) -> bool:
    from chapterhouse.outbox.models import PeriodicJob

    with transaction.atomic():
        PeriodicJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
        return PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
            next_run_at=now + job.interval, last_started_at=now) == 1


def run_due(now: datetime | None = None) -> list[str]:
    """Runs every registered job that is due and that no other worker has claimed; returns their names."""
    from chapterhouse.outbox.models import PeriodicJob

    now = now or timezone.now()
    ran = []
    for job in discover().values():
        if not _claim(job, now):
            continue
        error = ""
        try:
            job.run(now)
        except Exception:
            error = traceback.format_exc()[-4000:]
            log.exception("Periodic job %s failed", job.name)
        PeriodicJob.objects.filter(name=job.name).update(last_finished_at=timezone.now(), last_error=error)
        ran.append(job.name)
    return ran


@every(minutes=1)
def sweep_outbox(now: datetime) -> None:
    """Messages whose delivery task was lost (a crash right after commit) or whose worker died mid-send."""
    from chapterhouse.outbox.mail import sweep

    sweep(now)


@every(minutes=settings.CHAPTERHOUSE_WORKER_TIMEOUT / 60 / 4)
def sweep_jobs(now: datetime) -> None:
    """Long jobs held by a worker whose heartbeat stopped: taken back and run again, or failed with the reason."""
    from chapterhouse.outbox import jobs

    jobs.sweep(now)
