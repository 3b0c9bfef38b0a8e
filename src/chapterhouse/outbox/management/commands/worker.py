"""``chapterhouse worker``: delivers queued tasks (django-tasks-db's ``db_worker``) and runs periodic jobs.

Run as many as you like, on as many machines as share the database: tasks and periodic runs are claimed in
the database, so each is done once. Stops cleanly on SIGTERM or Ctrl+C. A worker killed outright (``kill -9``,
a lost machine) stops beating; another worker's sweep takes its long jobs back and runs them again (``jobs.py``).
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from chapterhouse.outbox import heartbeat, periodic

log = logging.getLogger("chapterhouse.worker")


class Command(BaseCommand):
    help = "Deliver queued mail, run long jobs (galley builds, clearance packages) and periodic jobs (reminders, sweeps)."

    def add_arguments(self, parser):
        parser.add_argument("--worker-id", default=None, help="unique across all workers (default: generated)")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at an empty queue")
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between heartbeats and periodic jobs")

    def handle(self, *args, worker_id=None, interval=1.0, tick=5.0, **options):
        backend = settings.TASKS["default"]["BACKEND"]
        if not backend.startswith("django_tasks_db."):
            raise CommandError(
                f"The worker needs the database task backend; CHAPTERHOUSE_TASK_BACKEND is {backend!r}."
            )
        worker_id = worker_id or f"worker-{get_random_string(12)}"
        started_at = timezone.now()
        heartbeat.set_this_worker(worker_id)  # the id its job claims carry, as db_worker's task rows do
        ticker = threading.Thread(target=self._tick_forever, args=(worker_id, started_at, tick), daemon=True)
        ticker.start()
        self.stdout.write(f"chapterhouse worker {worker_id} is running (Ctrl+C stops it)")
        self.stdout.flush()
        call_command("db_worker", worker_id=worker_id, interval=interval, reload=False,
                     verbosity=options.get("verbosity", 1))

    @staticmethod
    def _tick_forever(worker_id: str, started_at, tick: float) -> None:
        while True:
            try:
                heartbeat.beat(worker_id, started_at)
                periodic.run_due()
            except Exception:  # a database hiccup must not kill the thread; the next tick tries again
                log.exception("Worker tick failed")
            finally:
                close_old_connections()
            time.sleep(tick)
