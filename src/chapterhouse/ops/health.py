"""What /healthz reports: can the database be reached and is its schema current, is a worker alive to send
the mail and run the jobs the web processes queue, and is there room on the disk for what people upload. Each
check says what is wrong in words a person can act on.

Low disk space is a warning, not a failure: the site still works, so a load balancer must not take it out of
service, but a monitor reading ``status`` sees "warning" while there is still time to free space."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from shutil import disk_usage

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
    required: bool = True  # False: a failure is a warning; the site still serves (HTTP 200)


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


def written_places() -> list[Path]:
    """Where the site writes: the data folder, the SQLite database's folder, the local file store's folder."""
    places = [Path(settings.DATA_DIR)]
    if connection.vendor == "sqlite":
        places.append(Path(settings.DATABASES["default"]["NAME"]).parent)
    if settings.STORAGES["default"]["BACKEND"].startswith("chapterhouse."):  # files on this machine
        places.append(Path(settings.MEDIA_ROOT))
    return places


def existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def disk() -> Check:
    minimum = settings.CHAPTERHOUSE_MIN_FREE_DISK_MB
    free_by_device = {}
    for place in written_places():
        place = existing(place)
        free_by_device.setdefault(place.stat().st_dev, (disk_usage(place).free // 2**20, place))
    low = sorted((free, place) for free, place in free_by_device.values() if free < minimum)
    if low:
        free, place = low[0]
        return Check("disk", False, f"only {free} MB free on the disk holding {place} (warning below {minimum} MB); "
                                    "uploads will be refused when it is full: free space or add some", required=False)
    least = min(free for free, _ in free_by_device.values())
    return Check("disk", True, f"{least} MB free (warning below {minimum} MB)", required=False)


def run_checks() -> list[Check]:
    return [database(), worker(), disk()]
