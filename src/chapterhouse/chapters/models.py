"""A chapter of the volume, its authors and the manuscript versions they upload.

A chapter starts from an accepted proposal (``start.start_chapter``); its state moves only through
``workflow.transitions.transition`` along ``states.CHAPTER_WORKFLOW``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse

from chapterhouse.call.models import Call, Theme
from chapterhouse.chapters.states import CHAPTER_WORKFLOW


class Chapter(models.Model):
    workflow = CHAPTER_WORKFLOW

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="chapters")
    proposal = models.OneToOneField(
        "proposals.Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="chapter"
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="chapters")
    title = models.CharField(max_length=300)
    abstract = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0, help_text="The editors' order within the volume.")
    status = models.CharField(max_length=20, choices=CHAPTER_WORKFLOW.choices(), default=CHAPTER_WORKFLOW.initial,
                              db_index=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "theme__position", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("chapter", kwargs={"pk": self.pk})

    @property
    def status_label(self) -> str:
        return self.workflow.label(self.status)

    @property
    def final_version(self) -> ManuscriptVersion | None:
        return self.versions.filter(is_final=True).order_by("-number").first()

    @property
    def latest_version(self) -> ManuscriptVersion | None:
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("versions")
        if prefetched is not None:  # a list of chapters prefetched their versions: no query per chapter
            return max(prefetched, key=lambda version: version.number, default=None)
        return self.versions.order_by("-number").first()

    @property
    def byline(self) -> str:
        names = [a.name for a in self.authors.all()]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""


class ChapterAuthor(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="authors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="chapter_authorships")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    affiliation = models.CharField(max_length=300, blank=True)
    bio = models.TextField(blank=True, help_text="For the contributors' list.")
    order = models.PositiveSmallIntegerField(default=0)
    is_contact = models.BooleanField(default=False)

    class Meta:
        ordering = ["chapter", "order", "pk"]

    def __str__(self) -> str:
        return self.name


def version_path(instance: ManuscriptVersion, filename: str) -> str:
    # Addressed by content: the name never collides, never leaks the author's file name, cannot be guessed.
    return f"chapters/{instance.sha256[:2]}/{instance.sha256}.docx"


class ImmutableVersion(Exception):
    """A stored manuscript version is evidence of what the author sent; only its 'final' mark may change."""


class ManuscriptVersion(models.Model):
    MUTABLE_FIELDS = frozenset({"is_final"})

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    file = models.FileField(upload_to=version_path, max_length=200)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    words = models.PositiveIntegerField(default=0)
    passed = models.BooleanField(default=False)
    report = models.JSONField(default=dict)
    note = models.TextField(blank=True, help_text="The author's note or response letter with this version.")
    is_final = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["chapter", "number"]
        constraints = [models.UniqueConstraint(fields=["chapter", "number"], name="version_number_unique_in_chapter")]

    def __str__(self) -> str:
        return f"{self.chapter} — version {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.MUTABLE_FIELDS:
                raise ImmutableVersion(f"Version {self.number} of “{self.chapter}” is stored and cannot change.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("chapter_version", kwargs={"pk": self.chapter_id, "number": self.number})

    def make_final(self) -> None:
        """This version becomes the chapter's final one (the one typeset); the previous final one no longer is.
        The one place the mark moves: an editor's choice, a copyedit, an amendment or a proof correction."""
        with transaction.atomic():
            for other in self.chapter.versions.filter(is_final=True).exclude(pk=self.pk):
                other.is_final = False
                other.save(update_fields=["is_final"])
            self.is_final = True
            self.save(update_fields=["is_final"])

    def findings(self) -> list[dict]:
        """The report's findings, each with its index and, when an editor waived it, the waiver."""
        waivers = {w.finding: w for w in self.waivers.all()}
        return [{**finding, "index": index, "waiver": waivers.get(index)}
                for index, finding in enumerate(self.report.get("findings", []))]

    def unwaived_errors(self) -> list[dict]:
        return [f for f in self.findings() if f["severity"] == "error" and f["waiver"] is None]


class DeadlineExtension(models.Model):
    """An editor moves one deadline for one chapter; the latest extension of a kind wins, all stay in history."""

    KINDS = [
        ("final_chapters_due", "Final chapter due"),
        ("revised_chapters_due", "Revised chapter due"),
    ]
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="extensions")
    kind = models.CharField(max_length=40, choices=KINDS)
    due_on = models.DateField()
    reason = models.TextField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["chapter", "granted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.due_on}"


class FindingWaiver(models.Model):
    """An editor accepts one finding of one version as it is, with the reason kept (and audited)."""

    version = models.ForeignKey(ManuscriptVersion, on_delete=models.CASCADE, related_name="waivers")
    finding = models.PositiveIntegerField(help_text="The finding's index in the version's report.")
    rule = models.CharField(max_length=80)
    reason = models.TextField()
    waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    waived_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "finding"]
        constraints = [models.UniqueConstraint(fields=["version", "finding"], name="one_waiver_per_finding")]

    def __str__(self) -> str:
        return f"{self.rule} waived: {self.reason}"


def feedback_path(instance: FeedbackRound, filename: str) -> str:
    return f"feedback/{instance.annotated_sha256[:2]}/{instance.annotated_sha256}.docx"


class FeedbackRound(models.Model):
    """The editors' letter on one version and their decision; the author's answer closes the round."""

    class Decision(models.TextChoices):
        REVISE = "revise", "Revise and resubmit"
        ACCEPT = "accept", "Accept as final"

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField()
    version = models.ForeignKey(ManuscriptVersion, on_delete=models.PROTECT, related_name="rounds")
    letter = models.TextField()
    annotated = models.FileField(upload_to=feedback_path, max_length=200, blank=True)
    annotated_name = models.CharField(max_length=255, blank=True)
    annotated_sha256 = models.CharField(max_length=64, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    revised_due = models.DateField(null=True, blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    response_letter = models.TextField(blank=True)
    response_version = models.ForeignKey(ManuscriptVersion, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="answers")
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["chapter", "number"]
        constraints = [models.UniqueConstraint(fields=["chapter", "number"], name="round_number_unique_in_chapter")]

    def __str__(self) -> str:
        return f"Round {self.number}: {self.get_decision_display()}"


class PermissionRecord(models.Model):
    """Previously published material the chapter reuses, and the rights holder's permission for it."""

    class Status(models.TextChoices):
        NEEDED = "needed", "Needed, not yet requested"
        REQUESTED = "requested", "Requested"
        GRANTED = "granted", "Granted"
        REFUSED = "refused", "Refused"

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="permissions")
    material = models.CharField(max_length=300)
    rights_holder = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEEDED)
    document = models.FileField(upload_to="permissions/%Y/", max_length=200, blank=True)
    document_name = models.CharField(max_length=255, blank=True)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def missing(self) -> bool:
        return self.status != self.Status.GRANTED or not self.document

    def __str__(self) -> str:
        return f"{self.material} ({self.get_status_display()})"


class FundingAward(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        PAID = "paid", "Paid"
        DECLINED = "declined", "Declined"

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="funding")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    purpose = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def missing(self) -> bool:
        return self.status == self.Status.REQUESTED

    def __str__(self) -> str:
        return f"${self.amount} for {self.purpose} ({self.get_status_display()})"


class OfficialAccess(models.Model):
    """A request for access to officials or offices that the call offers authors."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        ARRANGED = "arranged", "Arranged"
        HELD = "held", "Held"
        DECLINED = "declined", "Declined"

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="access_requests")
    officials = models.CharField(max_length=300, help_text="The officials or offices asked for.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_on = models.DateField(null=True, blank=True)
    meeting_on = models.DateField(null=True, blank=True, help_text="When it is arranged for, or was held.")
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "access to officials"

    @property
    def missing(self) -> bool:
        return self.status in (self.Status.REQUESTED, self.Status.ARRANGED)

    def __str__(self) -> str:
        return f"{self.officials} ({self.get_status_display()})"


class ReminderSent(models.Model):
    """One reminder per chapter, deadline (and its date) and offset: the record that stops a second."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="reminders")
    deadline = models.CharField(max_length=40)
    due_on = models.DateField()
    offset_days = models.IntegerField(help_text="Negative before the deadline, positive after.")
    sent_on = models.DateField()
    recipients = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["chapter", "deadline", "due_on", "offset_days"],
                                               name="one_reminder_per_chapter_deadline_offset")]

    def __str__(self) -> str:
        return f"{self.chapter}: {self.deadline} {self.offset_days:+d} days, sent {self.sent_on}"


class CalendarFeed(models.Model):
    """A person's private calendar address; the token is the only key, so it can be replaced."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar of {self.user}"


class LateArrival(models.Model):
    """The author's work reached the editors after its deadline: kept so the board and the chapter say so
    after the fact, when the deadline is no longer the one owed."""

    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="late_arrivals")
    version = models.ForeignKey(ManuscriptVersion, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    due_on = models.DateField()
    days = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["chapter", "sent_at", "pk"]

    def __str__(self) -> str:
        return f"Version {self.version.number} sent {self.days} day{'s' if self.days != 1 else ''} late"

    def get_kind_label(self) -> str:
        from chapterhouse.chapters.deadlines import DEADLINES

        return DEADLINES.get(self.kind, (self.kind,))[0]
