"""Long jobs (outbox/jobs.py): taken back from a dead worker and run again up to the limit, then failed with the
reason; a run that lost its job keeps nothing; "Try again" from the job's page. The kill of a real worker
process is in test_worker_killed.py; here the worker's death is a heartbeat that stopped."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chapterhouse.clearance.models import ClearanceRequest
from chapterhouse.clearance.prepare import PACKAGE
from chapterhouse.outbox import jobs
from chapterhouse.outbox.heartbeat import ALIVE_WITHIN, beat
from chapterhouse.outbox.models import Job
from chapterhouse.production.models import GalleyBuild
from chapterhouse.production.tasks import GALLEY_BUILD, GalleyBuildJob
from chapterhouse.workflow.models import AuditEntry
from chapterhouse.workflow.transitions import transition
from tests.outbox.dead_worker import LONG_AGO, held_by_a_dead_worker, quick_builds  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


def test_a_job_of_a_dead_worker_is_taken_back_and_run_again(call, people, quick_builds,
                                                            django_capture_on_commit_callbacks):
    build, job = held_by_a_dead_worker(call, people, attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        counts = jobs.sweep()
    assert counts["taken back"] == 1 and counts["failed"] == 0
    job.refresh_from_db()
    build.refresh_from_db()
    assert build.status == "built" and build.pages == 7
    assert job.state == Job.State.DONE and job.attempts == 2 and job.worker_id != "gone"
    assert quick_builds == [(2, job.worker_id)]
    take_back = AuditEntry.objects.get(object_id=build.pk, action="Take back from a stopped worker")
    assert take_back.from_state == "running" and take_back.to_state == "queued"
    assert "(gone, last heard from" in take_back.reason and "run 2 of at most 3" in take_back.reason


def test_after_the_limit_the_job_fails_with_the_reason_for_the_person_who_started_it(
        client, call, people, settings, quick_builds):
    build, job = held_by_a_dead_worker(call, people, attempts=settings.CHAPTERHOUSE_JOB_ATTEMPTS)
    assert jobs.sweep()["failed"] == 1
    job.refresh_from_db()
    build.refresh_from_db()
    assert job.state == Job.State.FAILED and build.status == "failed" and quick_builds == []
    assert job.failure == build.problems[0]
    assert build.problems[0].startswith("The worker running the build (gone, last heard from")
    assert "started 3 times and no run finished, so it was not started again" in build.problems[0]
    client.force_login(people["production"])
    page = client.get(build.get_absolute_url()).content.decode()
    assert "The build failed" in page and "started 3 times" in page
    assert reverse("galley_build_try_again", args=[call.slug, build.number]) in page and "Try again" in page
    # Nothing more happens by itself: the next sweeps leave it failed.
    assert jobs.sweep()["failed"] == 0 and GalleyBuild.objects.get(pk=build.pk).status == "failed"


def test_the_limit_is_a_setting(call, people, settings, quick_builds):
    settings.CHAPTERHOUSE_JOB_ATTEMPTS = 5
    build, job = held_by_a_dead_worker(call, people, attempts=3)
    assert jobs.sweep()["taken back"] == 1
    assert "run 4 of at most 5" in AuditEntry.objects.get(action="Take back from a stopped worker").reason


def test_a_live_worker_keeps_its_job_and_a_fresh_claim_is_left_alone(call, people, quick_builds):
    build, job = held_by_a_dead_worker(call, people, attempts=1)
    beat("gone", timezone.now())  # it was only quiet: its heartbeat is back
    assert jobs.sweep()["taken back"] == 0
    Job.objects.filter(pk=job.pk).update(worker_id="never-beat", started_at=timezone.now())
    assert jobs.sweep()["taken back"] == 0  # claimed a moment ago: not yet silent for ALIVE_WITHIN
    assert Job.objects.get(pk=job.pk).state == Job.State.RUNNING


def test_a_run_that_lost_its_job_keeps_nothing(call, people, monkeypatch, django_capture_on_commit_callbacks):
    """A worker thought dead that was only slow: its results are refused, the run that took over keeps its own."""
    build = GalleyBuild.objects.create(call=call, number=1, requested_by=people["production"])
    job = jobs.start(GALLEY_BUILD, build, people["production"], hand_over=False)

    def run(self, build, attempt):
        Job.objects.filter(pk=job.pk).update(worker_id="another", attempts=attempt.number + 1)  # taken over
        with attempt.committing():
            GalleyBuild.objects.filter(pk=build.pk).update(pages=99)

    monkeypatch.setattr(GalleyBuildJob, "run", run)
    assert jobs.run(job.pk) == "taken back"
    assert GalleyBuild.objects.get(pk=build.pk).pages == 0
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING and job.worker_id == "another"


def test_a_failure_the_job_reports_fails_it_at_once_without_retrying(call, people, monkeypatch):
    build = GalleyBuild.objects.create(call=call, number=1, requested_by=people["production"])
    job = jobs.start(GALLEY_BUILD, build, people["production"], hand_over=False)

    def run(self, build, attempt):
        raise jobs.JobFailed(["The galleys could not be built", "Chapter 2: not a Word file"])

    monkeypatch.setattr(GalleyBuildJob, "run", run)
    assert jobs.run(job.pk) == Job.State.FAILED
    build.refresh_from_db()
    assert build.status == "failed" and build.problems == ["The galleys could not be built", "Chapter 2: not a Word file"]
    assert jobs.sweep()["taken back"] == 0 and Job.objects.get(pk=job.pk).attempts == 1


def test_try_again_runs_the_failed_build_again_and_is_audited(client, call, people, settings, quick_builds,
                                                              django_capture_on_commit_callbacks):
    build, job = held_by_a_dead_worker(call, people, attempts=settings.CHAPTERHOUSE_JOB_ATTEMPTS)
    jobs.sweep()
    url = reverse("galley_build_try_again", args=[call.slug, build.number])
    client.force_login(people["editor"])  # not the person who started it, but someone who may start builds
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response.url == build.get_absolute_url()
    build.refresh_from_db()
    job.refresh_from_db()
    assert build.status == "built" and job.state == Job.State.DONE and job.attempts == 1 and job.failure == ""
    again = AuditEntry.objects.get(object_id=build.pk, action="Try again")
    assert again.actor == people["editor"] and again.from_state == "failed" and again.to_state == "queued"
    # The failure stays on record in the build's history.
    assert AuditEntry.objects.filter(object_id=build.pk, action="Fail", reason__contains="gone").exists()
    # Pressing it again (a second tab) changes nothing and says why.
    response = client.post(url, follow=True)
    assert "not failed" in response.content.decode()
    assert GalleyBuild.objects.get(pk=build.pk).status == "built" and len(quick_builds) == 1


def test_try_again_needs_the_csrf_token(call, people, settings, quick_builds):
    from django.test import Client

    build, job = held_by_a_dead_worker(call, people, attempts=settings.CHAPTERHOUSE_JOB_ATTEMPTS)
    jobs.sweep()
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["production"])
    assert client.post(reverse("galley_build_try_again", args=[call.slug, build.number])).status_code == 403
    assert GalleyBuild.objects.get(pk=build.pk).status == "failed"


def test_a_queued_job_whose_task_was_lost_is_handed_over_again(call, people, quick_builds,
                                                                django_capture_on_commit_callbacks):
    build = GalleyBuild.objects.create(call=call, number=1, requested_by=people["production"])
    job = jobs.start(GALLEY_BUILD, build, people["production"], hand_over=False)  # as if enqueueing had failed
    assert jobs.sweep()["handed over"] == 0  # queued a moment ago: a worker may simply be busy
    Job.objects.filter(pk=job.pk).update(queued_at=timezone.now() - ALIVE_WITHIN * 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep()["handed over"] == 1
    assert GalleyBuild.objects.get(pk=build.pk).status == "built"


def test_a_task_row_left_running_by_a_dead_worker_is_closed(db):
    from chapterhouse.outbox.tasks import run_job

    row = DBTaskResult.objects.create(args_kwargs={"args": [1], "kwargs": {}}, task_path=run_job.module_path,
                                      backend_name="default", run_after=timezone.now(), status="RUNNING",
                                      worker_ids=["gone"], started_at=timezone.now() - LONG_AGO)
    assert jobs.sweep()["tasks closed"] == 1
    row.refresh_from_db()
    assert row.status == "FAILED" and row.exception_class_path.endswith("jobs.WorkerStopped")
    assert "Worker gone stopped" in row.traceback


def test_a_clearance_package_of_a_dead_worker_fails_with_the_reason_on_the_request(call, people, settings):
    request = ClearanceRequest.objects.create(call=call, created_by=people["editor"], package_pending=True)
    job = jobs.start(PACKAGE, request, people["editor"], hand_over=False)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, worker_id="gone",
                                         attempts=settings.CHAPTERHOUSE_JOB_ATTEMPTS,
                                         started_at=timezone.now() - LONG_AGO)
    assert jobs.sweep()["failed"] == 1
    request.refresh_from_db()
    assert not request.package_pending
    assert request.package_error.startswith("The worker running the package (gone, never heard from) stopped")
    assert AuditEntry.objects.filter(object_id=request.pk, action="Package not built").exists()


def test_a_build_left_building_before_the_upgrade_is_adopted_and_run_again(call, people, quick_builds,
                                                                           django_capture_on_commit_callbacks):
    """The build of the report, stuck "Building" under a dead worker before long jobs existed."""
    import importlib

    from django.apps import apps

    adopt = importlib.import_module("chapterhouse.production.migrations.0002_jobs_for_builds_in_flight").adopt
    stuck = GalleyBuild.objects.create(call=call, number=1, requested_by=people["production"],
                                       started_at=timezone.now() - LONG_AGO)
    transition(stuck, "running", None, jobs.WORKER_ROLES)
    waiting = GalleyBuild.objects.create(call=call, number=2, requested_by=people["production"])
    adopt(apps, None)
    assert Job.objects.count() == 2
    Job.objects.filter(subject_id=waiting.pk).update(queued_at=timezone.now() - LONG_AGO)
    with django_capture_on_commit_callbacks(execute=True):
        counts = jobs.sweep()
    assert counts["taken back"] == 1 and counts["handed over"] == 1
    assert [b.status for b in GalleyBuild.objects.order_by("number")] == ["built", "built"]


def test_the_worker_sweeps_several_times_within_the_silence_that_marks_a_worker_down(db):
    from chapterhouse.outbox import periodic

    sweep = periodic.discover()["chapterhouse.outbox.periodic.sweep_jobs"]
    assert sweep.interval * 4 == ALIVE_WITHIN


def test_a_job_whose_subject_cannot_start_fails_instead_of_being_handed_over_for_ever(call, people):
    build = GalleyBuild.objects.create(call=call, number=1, requested_by=people["production"], status="built")
    job = jobs.start(GALLEY_BUILD, build, people["production"], hand_over=False)
    with pytest.raises(Exception, match="cannot go from"):
        jobs.run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.failure.startswith("The job could not start (TransitionNotAllowed")
    assert GalleyBuild.objects.get(pk=build.pk).status == "built"
