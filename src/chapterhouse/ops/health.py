"""What /healthz reports: can the database be reached and is its schema current, and is a worker alive to send
the mail and run the jobs the web processes queue. Each check says what is wrong in words a person can act on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@cache
def expected_migrations() -> frozenset[tuple[str, str]]:
    """This code's latest migration of each app (read from disk once per process)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        applied = MigrationRecorder(connection).applied_migrations()
    except DatabaseError as error:
        return Check("database", False, f"cannot be reached: {str(error).strip().splitlines()[0][:200]}")
    missing = sorted(f"{app}.{name}" for app, name in expected_migrations() - set(applied))
    if missing:
        return Check("database", False, f"{len(missing)} migrations not applied (e.g. {missing[0]}); "
                                        "run `chapterhouse setup`")
    return Check("database", True, f"{connection.vendor}, schema current")


def worker() -> Check:
    if not settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
        return Check("worker", True, "not needed: background tasks run inside the web process")
    from chapterhouse.outbox.heartbeat import ALIVE_WITHIN, live_workers
    from chapterhouse.outbox.models import WorkerHeartbeat

    try:
        alive = live_workers().count()
        last = WorkerHeartbeat.objects.order_by("-last_seen").values_list("last_seen", flat=True).first()
    except DatabaseError:
        return Check("worker", False, "unknown: the database cannot be read")
    if alive:
        return Check("worker", True, f"{alive} alive (heartbeat within {ALIVE_WITHIN.seconds} s)")
    seen = f"last heartbeat {int((timezone.now() - last).total_seconds())} s ago" if last else "never seen"
    return Check("worker", False, f"no worker alive ({seen}); mail waits in the outbox until "
                                  "`chapterhouse worker` runs")


def run_checks() -> list[Check]:
    return [database(), worker()]
