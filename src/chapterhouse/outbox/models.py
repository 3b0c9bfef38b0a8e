"""Every e-mail chapterhouse sends is first a row here, written in the transaction that caused it.

A row outlives a mail server that is down, a full disk or a killed process: the worker delivers it, retries
with backoff, and its state is there for editors to see. ``WorkerHeartbeat`` and ``PeriodicJob`` are the
worker's own bookkeeping: whether one is alive, and when each periodic job last ran. ``Job`` is one long piece of
background work (a galley build, a clearance package) as the worker holds it, so one whose worker died is taken
back and run again (``jobs.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Message(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Not sent yet; will try again"
        FAILED = "failed", "Could not be sent"

    to = models.CharField(max_length=320)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    # What the message is about, so a page can list "mail about this proposal".
    kind = models.CharField(max_length=80, blank=True)
    about_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")

    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set on a copy made by "resend": the message it repeats.
    resend_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="resends")

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["about_type", "about_id"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.get_state_display()})"

    @property
    def is_done(self) -> bool:
        return self.state in {self.State.SENT, self.State.FAILED}


class WorkerHeartbeat(models.Model):
    """One row per running worker process, touched every few seconds; /healthz reads the newest."""

    worker_id = models.CharField(max_length=120, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} (last seen {self.last_seen:%Y-%m-%d %H:%M:%S})"


class PeriodicJob(models.Model):
    """When each registered periodic job is next due; claiming a run is one conditional UPDATE."""

    name = models.CharField(max_length=200, unique=True)
    next_run_at = models.DateTimeField()
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class Job(models.Model):
    """One long job about one object (``subject``): who holds it, how often it was started, why it failed.

    The worker claims it with a conditional UPDATE; the sweep takes it back from a worker whose heartbeat stopped.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=200)  # the dotted path of its LongJob class (jobs.register)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # runs started since it was last queued by a person
    worker_id = models.CharField(max_length=120, blank=True)
    task_id = models.CharField(max_length=64, blank=True)  # the django-tasks result of its latest hand-over
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    queued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)  # why it failed, in words for the person who started it

    class Meta:
        ordering = ["-queued_at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.kind.rsplit('.', 1)[-1]} about {self.subject_type_id}/{self.subject_id} ({self.state})"
