"""The security and policy review as stored: the request with its DD 1910 values and package, the chapter
versions it carries, and each amendment the office requires with the amended versions that answer it.

States move only through ``workflow.transitions.transition`` along ``states.CLEARANCE_WORKFLOW`` and
``states.AMENDMENT_WORKFLOW``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from chapterhouse.call.models import Call
from chapterhouse.chapters.models import Chapter, ManuscriptVersion
from chapterhouse.clearance.dutydays import duty_days_between
from chapterhouse.clearance.states import (AMENDMENT_WORKFLOW, CLEARANCE_WORKFLOW, CLEARED_STATES, IN_REVIEW,
                                           SUBMITTED)
from chapterhouse.workflow.models import Stateful


def package_path(instance: ClearanceRequest, filename: str) -> str:
    return f"clearance/{instance.call.slug}-request-{instance.pk}-{instance.package_sha256[:12]}.zip"


def front_matter_path(instance: FrontMatterFile, filename: str) -> str:
    return f"clearance/front-matter/{instance.sha256[:2]}/{instance.sha256}{instance.suffix}"


class ClearanceRequest(Stateful):
    workflow = CLEARANCE_WORKFLOW

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="clearance_requests")
    status = models.CharField(max_length=30, choices=CLEARANCE_WORKFLOW.choices(), default=CLEARANCE_WORKFLOW.initial,
                              db_index=True)
    form_values = models.JSONField(default=dict, help_text="The DD 1910 values, by the call file's field keys.")
    submitted_on = models.DateField(null=True, blank=True)
    expected_on = models.DateField(null=True, blank=True, help_text="Submission date plus the call's lead time.")
    office_reference = models.CharField(max_length=100, blank=True, help_text="The office's case number.")
    cleared_on = models.DateField(null=True, blank=True, help_text="When the office cleared the manuscript: the "
                                  "copyright page's clearance statement gives it with the case number.")
    package = models.FileField(upload_to=package_path, max_length=200, blank=True)
    package_sha256 = models.CharField(max_length=64, blank=True)
    package_built_at = models.DateTimeField(null=True, blank=True)
    package_error = models.TextField(blank=True)
    package_pending = models.BooleanField(default=False)
    pages = models.PositiveIntegerField(null=True, blank=True)
    overdue_told_on = models.DateField(null=True, blank=True, help_text="When editors were told the answer is late.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    follows = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups",
                                help_text="The earlier request this one follows up: it carries only what is new.")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        kind = "Follow-up security review" if self.follows_id else "Security review"
        return f"{kind} of “{self.call.title}” ({self.status_label})"

    def get_absolute_url(self) -> str:
        return reverse("clearance_request", kwargs={"pk": self.pk})


    def gate_context(self) -> dict:
        """What submitting needs to know: what still stands between the request and the office."""
        from chapterhouse.clearance.prepare import ready_to_submit

        return {"blockers": ready_to_submit(self)}

    @property
    def cleared(self) -> bool:
        return self.status in CLEARED_STATES

    @property
    def waiting_on_office(self) -> bool:
        return self.status in {SUBMITTED, IN_REVIEW, "appealed"}

    def duty_days_left(self, today: dt.date | None = None) -> int | None:
        """Duty days until the answer is due (negative when overdue); None when no answer is awaited."""
        if not self.waiting_on_office or not self.expected_on:
            return None
        return duty_days_between(today or timezone.localdate(), self.expected_on)

    def overdue(self, today: dt.date | None = None) -> bool:
        left = self.duty_days_left(today)
        return left is not None and (today or timezone.localdate()) > self.expected_on


class RequestChapter(models.Model):
    """A chapter as the request carries it: the final version re-checked when the request was prepared."""

    request = models.ForeignKey(ClearanceRequest, on_delete=models.CASCADE, related_name="items")
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="clearance_items")
    version = models.ForeignKey(ManuscriptVersion, on_delete=models.PROTECT, related_name="+")
    problems = models.JSONField(default=list, help_text="Why the version may not be sent; empty when it may.")
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["request", "chapter__theme__position", "chapter__order", "chapter__pk"]
        constraints = [models.UniqueConstraint(fields=["request", "chapter"], name="one_item_per_chapter")]


class RequestText(models.Model):
    """A text of the volume besides its chapters (front matter, a part's introduction) as the request carries it:
    the words themselves, so what was cleared stays on record whatever is edited later."""

    request = models.ForeignKey(ClearanceRequest, on_delete=models.CASCADE, related_name="texts")
    key = models.CharField(max_length=100, help_text="Which text of the volume: front:<id> or part:<theme>.")
    kind = models.CharField(max_length=10)
    title = models.CharField(max_length=250)
    authors = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    sha256 = models.CharField(max_length=64)
    checked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["request", "kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["request", "key"], name="one_request_text_per_key")]

    def __str__(self) -> str:
        return self.title


class LaterChangesSeen(models.Model):
    """The security reviewer's record that they read a chapter's changes after clearance (copyedits, proof
    corrections) up to ``version``: a build setting exactly that version may be launched."""

    request = models.ForeignKey(ClearanceRequest, on_delete=models.CASCADE, related_name="later_changes_seen")
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(ManuscriptVersion, on_delete=models.PROTECT, related_name="+")
    seen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "chapter", "-seen_at", "-pk"]


class LaterTextChangesSeen(models.Model):
    """The security reviewer's record that they read the changes made after clearance to a text besides the
    chapters (front matter, a part's introduction; ``key`` as in ``RequestText``) up to the text whose SHA-256 is
    ``sha256``: a build setting exactly that text may be launched."""

    request = models.ForeignKey(ClearanceRequest, on_delete=models.CASCADE, related_name="later_text_changes_seen")
    key = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64, help_text="The text as read: title, authors and words.")
    seen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "key", "-seen_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["request", "key", "sha256"], name="one_text_read_per_text")]


class FrontMatterFile(models.Model):
    """A file uploaded to a request before front matter came from the production page; kept for the record,
    no longer offered (the volume's front matter is ``RequestText``)."""

    request = models.ForeignKey(ClearanceRequest, on_delete=models.CASCADE, related_name="front_matter")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=front_matter_path, max_length=200)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    suffix = models.CharField(max_length=10)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "added_at", "pk"]


class Amendment(Stateful):
    """One change the office requires in one chapter: where, the passage as cleared, and the wording required."""

    workflow = AMENDMENT_WORKFLOW

    request = models.ForeignKey(ClearanceRequest, on_delete=models.CASCADE, related_name="amendments")
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="amendments")
    location = models.CharField(max_length=200, help_text="Where, as the office gives it: page, paragraph or note.")
    cleared_text = models.TextField(blank=True, help_text="The passage as cleared, word for word; empty for an addition.")
    required_text = models.TextField(blank=True, help_text="The wording required in its place; empty to delete it.")
    status = models.CharField(max_length=20, choices=AMENDMENT_WORKFLOW.choices(), default=AMENDMENT_WORKFLOW.initial,
                              db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "chapter", "pk"]

    def __str__(self) -> str:
        return f"Amendment {self.pk} to “{self.chapter}” at {self.location}"



class AmendedVersion(models.Model):
    """The author's amended chapter, with its re-check and its word diff against the cleared version."""

    request = models.ForeignKey(ClearanceRequest, on_delete=models.CASCADE, related_name="amended_versions")
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="amended_versions")
    cleared_version = models.ForeignKey(ManuscriptVersion, on_delete=models.PROTECT, related_name="+")
    version = models.OneToOneField(ManuscriptVersion, on_delete=models.PROTECT, related_name="amendment_of")
    problems = models.JSONField(default=list)
    changes = models.JSONField(default=list, help_text="Each change: part, removed, inserted, amendment id or null.")
    flagged = models.PositiveIntegerField(default=0, help_text="Changes outside every amended passage.")
    unmet = models.JSONField(default=list, help_text="Ids of amendments whose required wording is missing.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "chapter", "-uploaded_at", "-pk"]
        get_latest_by = "uploaded_at"
