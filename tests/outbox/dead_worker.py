"""A galley build whose worker died, as the report found it, and builds that finish at once — shared by the
long-job tests and the browser test of "Try again"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from chapterhouse.outbox import jobs
from chapterhouse.outbox.models import Job, WorkerHeartbeat
from chapterhouse.production.models import GalleyBuild
from chapterhouse.production.tasks import GALLEY_BUILD, GalleyBuildJob
from chapterhouse.workflow.transitions import transition

LONG_AGO = timedelta(minutes=30)


@pytest.fixture
def quick_builds(monkeypatch):
    """Builds that finish at once (what a build makes is tested in tests/production), counting their runs."""
    runs = []

    def run(self, build, attempt):
        runs.append((attempt.number, attempt.worker_id))
        with attempt.committing():
            GalleyBuild.objects.filter(pk=build.pk).update(pages=7)
            transition(build, "built", None, jobs.WORKER_ROLES)

    monkeypatch.setattr(GalleyBuildJob, "run", run)
    return runs


def held_by_a_dead_worker(call, people, attempts: int) -> tuple[GalleyBuild, Job]:
    """A build "Building" under worker "gone", whose last heartbeat was half an hour ago — the report's state."""
    build = GalleyBuild.objects.create(call=call, number=1, requested_by=people["production"])
    job = jobs.start(GALLEY_BUILD, build, people["production"], hand_over=False)
    transition(build, "running", None, jobs.WORKER_ROLES)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, worker_id="gone", attempts=attempts,
                                         started_at=timezone.now() - LONG_AGO)
    WorkerHeartbeat.objects.create(worker_id="gone", hostname="elsewhere", pid=1, started_at=timezone.now() - LONG_AGO,
                                   last_seen=timezone.now() - LONG_AGO)
    return build, job
