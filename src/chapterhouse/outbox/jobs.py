"""Long background jobs that survive a worker's death: the one mechanism every stage's long work goes through.

A stage describes one kind of job as a ``LongJob`` subclass (what to run, what the job's object shows when it
is started, queued again or failed) and registers it with ``@register``; it starts one with ``start(kind,
subject, by)`` inside the transaction that asks for it. Then:

- the worker claims the job with one conditional UPDATE (state "running", its worker id, one more attempt);
- the job keeps what it made only through ``attempt.committing()``, which marks the job done in the same
  transaction as the results and refuses if the job is no longer this attempt's: a run taken back from a worker
  thought dead keeps nothing, and a second run starts from a clean slate;
- ``sweep`` (every few seconds on the worker, ``periodic.py``) takes a running job back from a worker whose
  heartbeat stopped and queues it again, up to ``CHAPTERHOUSE_JOB_ATTEMPTS`` runs; after that the job is
  failed with the reason, which the job's page shows with a "Try again" button (``try_again``);
- a failure the job itself reports (``JobFailed``) or an unexpected error fails it at once, with the reason.

Nothing stays "running" for ever: every running job either finishes, fails, or is taken back within
``CHAPTERHOUSE_WORKER_TIMEOUT`` seconds of its worker's last heartbeat.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from chapterhouse.outbox.heartbeat import ALIVE_WITHIN, live_workers, this_worker
from chapterhouse.outbox.models import Job, WorkerHeartbeat

log = logging.getLogger(__name__)

WORKER_ROLES = frozenset({"worker"})
KINDS: dict[str, LongJob] = {}


class JobFailed(Exception):
    """Raised by a job's ``run`` for a failure the person who started it must read; it is not retried."""

    def __init__(self, problems: Iterable[str]):
        self.problems = [str(p) for p in problems] or ["The job failed."]
        super().__init__("; ".join(self.problems))


class JobTakenBack(Exception):
    """This run no longer holds the job (its worker was thought dead and another run took over): keep nothing."""


class NotFailed(Exception):
    """"Try again" on a job that is not failed (someone else pressed it, or it is still running)."""


class WorkerStopped(Exception):
    """Recorded on a django-tasks row whose worker died while running it."""


class LongJob:
    """One kind of long job. ``run`` must be safe to run again from the start: keep results only inside
    ``attempt.committing()``. The hooks move the subject's own state (through ``transition``, audited)."""

    model: type[models.Model]
    noun = "job"  # what the person calls it: "build", "package"

    def run(self, subject, attempt: Attempt) -> object:
        raise NotImplementedError

    def started(self, subject, attempt: Attempt) -> None:
        """A run starts (the first or a later one)."""

    def queued_again(self, subject, why: str, by, roles: Iterable[str]) -> None:
        """Taken back from a dead worker (``by`` None, the worker's roles) or tried again by a person."""

    def failed(self, subject, problems: list[str]) -> None:
        """The job gave up: ``problems`` say why, in words for the person who started it."""

    @property
    def path(self) -> str:
        return f"{type(self).__module__}.{type(self).__qualname__}"


def register(cls: type[LongJob]) -> LongJob:
    """The one instance of a kind, found again from its class's dotted path (``Job.kind``)."""
    kind = cls()
    KINDS[kind.path] = kind
    return kind


def kind_of(job: Job) -> LongJob:
    if job.kind not in KINDS:
        importlib.import_module(job.kind.rsplit(".", 1)[0])  # a worker that has not imported the stage yet
    return KINDS[job.kind]


def subject_of(job: Job):
    return kind_of(job).model.objects.get(pk=job.subject_id)


def jobs_about(subject: models.Model):
    return Job.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


def latest_about(subject: models.Model) -> Job | None:
    return jobs_about(subject).first()


def attempt_limit() -> int:
    return max(1, settings.CHAPTERHOUSE_JOB_ATTEMPTS)


# -- starting and handing to the task backend --------------------------------------------------------------------

def start(kind: LongJob, subject: models.Model, by=None, *, hand_over: bool = True) -> Job:
    """A new queued job about ``subject``, handed to the worker when the caller's transaction commits (or left
    for the caller to ``run`` here and now)."""
    job = Job.objects.create(kind=kind.path, subject_type=ContentType.objects.get_for_model(subject),
                             subject_id=subject.pk, requested_by=by if getattr(by, "is_authenticated", False) else None,
                             queued_at=timezone.now())
    if hand_over:
        _hand_over(job.pk)
    return job


def _hand_over(job_id: int) -> None:
    """Enqueues the job's task once the transaction commits; if that fails, the sweep enqueues it later."""
    from chapterhouse.outbox.tasks import run_job

    def enqueue():
        try:
            result = run_job.enqueue(job_id)
        except Exception:
            log.exception("Could not enqueue job %s; the sweep will retry it", job_id)
            return
        Job.objects.filter(pk=job_id).update(task_id=str(result.id))

    transaction.on_commit(enqueue, robust=True)


# -- running -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attempt:
    job_id: int
    number: int
    worker_id: str

    def held(self):
        """The job's row, if this attempt still holds it."""
        return Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING, worker_id=self.worker_id,
                                  attempts=self.number)

    @contextmanager
    def committing(self) -> Iterator[None]:
        """One transaction that keeps the job's results and marks it done, or raises ``JobTakenBack``."""
        with transaction.atomic():
            if self.held().update(state=Job.State.DONE, finished_at=timezone.now()) != 1:
                raise JobTakenBack(f"Job {self.job_id} attempt {self.number} no longer belongs to {self.worker_id}.")
            yield


def _claim(job: Job, kind: LongJob, subject, worker_id: str) -> Attempt | None:
    """Takes the queued job for this worker and tells its subject, in one transaction (a worker dying between
    the two would leave a running job whose subject still says queued)."""
    with transaction.atomic():
        claimed = Job.objects.filter(pk=job.pk, state=Job.State.QUEUED, attempts=job.attempts).update(
            state=Job.State.RUNNING, worker_id=worker_id, attempts=job.attempts + 1, started_at=timezone.now(),
            finished_at=None)
        if claimed != 1:
            return None
        attempt = Attempt(job.pk, job.attempts + 1, worker_id)
        kind.started(subject, attempt)
        return attempt


def run(job_id: int) -> str:
    """Runs the job if it is queued and nobody else has it; returns the state this run leaves it in."""
    job = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).first()
    attempt = None
    if job is not None:
        try:
            kind, subject = kind_of(job), subject_of(job)
            attempt = _claim(job, kind, subject, this_worker())
        except Exception as error:  # its subject is gone or cannot start: fail it rather than hand it over for ever
            Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
                state=Job.State.FAILED, failure=f"The job could not start ({type(error).__name__}: {error}).",
                finished_at=timezone.now())
            raise
    if attempt is None:
        return Job.objects.filter(pk=job_id).values_list("state", flat=True).first() or "missing"
    try:
        kind.run(subject, attempt)
    except JobTakenBack:
        log.warning("Job %s was taken back from this worker while it ran; its results were not kept", job_id)
        return "taken back"
    except JobFailed as failure:
        return _fail(attempt, kind, subject, failure.problems)
    except Exception as error:  # whatever went wrong, the job must not stay "running" for ever
        _fail(attempt, kind, subject, [f"The {kind.noun} stopped unexpectedly ({type(error).__name__}: {error}). "
                                       "Please report this."])
        raise
    attempt.held().update(state=Job.State.DONE, finished_at=timezone.now())  # a job that kept nothing itself
    return Job.State.DONE


def _fail(attempt: Attempt, kind: LongJob, subject, problems: list[str]) -> str:
    with transaction.atomic():
        if attempt.held().update(state=Job.State.FAILED, failure="\n".join(problems),
                                  finished_at=timezone.now()) == 1:
            kind.failed(subject, problems)
            return Job.State.FAILED
    return "taken back"


# -- the sweep and "Try again" -----------------------------------------------------------------------------------

def sweep(now: datetime | None = None) -> dict[str, int]:
    """Takes back what dead workers held and re-enqueues queued jobs whose task was lost; returns counts."""
    now = now or timezone.now()
    alive = set(live_workers(now).values_list("worker_id", flat=True)) | {this_worker()}
    silent_since = now - ALIVE_WITHIN
    counts = {"taken back": 0, "failed": 0, "unchanged": 0, "handed over": 0, "tasks closed": _close_dead_tasks(alive, silent_since)}
    for job in Job.objects.filter(state=Job.State.RUNNING, started_at__lt=silent_since).exclude(worker_id__in=alive):
        try:
            counts[_take_back(job, now)] += 1
        except Exception:  # one job whose subject cannot move must not keep the others from being taken back
            log.exception("Could not take back job %s", job.pk)
            counts["unchanged"] += 1
    for job in Job.objects.filter(state=Job.State.QUEUED, queued_at__lt=silent_since):
        if not _task_waiting(job, alive):
            _hand_over(job.pk)
            counts["handed over"] += 1
    return counts


def _last_heard(worker_id: str) -> str:
    seen = WorkerHeartbeat.objects.filter(worker_id=worker_id).values_list("last_seen", flat=True).first()
    if seen is None:
        return "never heard from"
    seen = timezone.localtime(seen)
    return f"last heard from {seen.day} {seen:%b %Y, %H:%M:%S}"


def _take_back(job: Job, now: datetime) -> str:
    kind, limit = kind_of(job), attempt_limit()
    stopped = f"The worker running the {kind.noun} ({job.worker_id}, {_last_heard(job.worker_id)}) stopped"
    held = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, worker_id=job.worker_id, attempts=job.attempts)
    with transaction.atomic():
        subject = subject_of(job)
        if job.attempts < limit:
            if held.update(state=Job.State.QUEUED, worker_id="", queued_at=now) != 1:
                return "unchanged"  # it finished or failed in the meantime: nothing to take back
            why = f"{stopped}; it runs again (run {job.attempts + 1} of at most {limit})."
            log.warning("Job %s: %s", job.pk, why)
            kind.queued_again(subject, why, None, WORKER_ROLES)
            _hand_over(job.pk)
            return "taken back"
        why = (f"{stopped}. It was started {job.attempts} time{'s' if job.attempts != 1 else ''} and no run "
               "finished, so it was not started again.")
        if held.update(state=Job.State.FAILED, failure=why, finished_at=now) != 1:
            return "unchanged"
        log.error("Job %s: %s", job.pk, why)
        kind.failed(subject, [why])
        return "failed"


def _task_waiting(job: Job, alive: set[str]) -> bool:
    """Whether the job's django-tasks row will still reach a worker (waiting, or held by a live one)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    task = DBTaskResult.objects.filter(pk=job.task_id).first() if job.task_id else None
    if task is None:
        return False
    if task.status == TaskResultStatus.READY:
        return True
    return task.status == TaskResultStatus.RUNNING and bool(task.worker_ids) and task.worker_ids[-1] in alive


def _close_dead_tasks(alive: set[str], silent_since: datetime) -> int:
    """Marks django-tasks rows still "running" under a dead worker as failed, so the task table tells the truth."""
    from django_tasks_db.models import DBTaskResult

    closed = 0
    for task in DBTaskResult.objects.running().filter(started_at__lt=silent_since):
        worker = task.worker_ids[-1] if task.worker_ids else ""
        if worker not in alive:
            task.set_failed(WorkerStopped(f"Worker {worker or '(unknown)'} stopped while running this task."))
            closed += 1
    return closed


def try_again(job: Job, by, roles: Iterable[str]) -> Job:
    """A person asks for a failed job to run again: queued with a fresh count of runs, audited by the subject's
    own move (``queued_again``), which also refuses roles that may not do it."""
    kind = kind_of(job)
    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, state=Job.State.FAILED).update(
            state=Job.State.QUEUED, attempts=0, worker_id="", failure="", queued_at=timezone.now(), finished_at=None)
        if updated != 1:
            raise NotFailed(f"This {kind.noun} is not failed (any more), so there is nothing to try again.")
        kind.queued_again(subject_of(job), "Tried again after it failed", by, roles)
        _hand_over(job.pk)
    job.refresh_from_db()
    return job
