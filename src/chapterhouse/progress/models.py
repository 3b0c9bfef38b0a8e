"""A review session, its slots (one chapter each, with presenter, discussant and chair: accounts, with the free-text
names of slots planned before that kept readable) and what authors upload for their slot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from chapterhouse.call.models import Call


class ReviewSession(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="review_sessions")
    title = models.CharField(max_length=300)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    video_link = models.URLField(blank=True)
    event_name = models.CharField(max_length=200, blank=True, help_text="A named event it is part of, e.g. the FMS Symposium.")
    chatham_house = models.BooleanField(default=False, help_text="Chatham House rule applies.")
    drafts_due = models.DateField(null=True, blank=True, help_text="Drafts circulate to participants by this date.")
    notes = models.TextField(blank=True)
    # The calendar SEQUENCE of the session's events: grows with every change to the session or its programme,
    # so calendar applications replace the copy they hold.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["starts_at"]

    def changed(self) -> None:
        """Counts one more revision (call in the transaction of the change)."""
        ReviewSession.objects.filter(pk=self.pk).update(sequence=models.F("sequence") + 1)
        self.refresh_from_db(fields=["sequence"])

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("review_session", kwargs={"pk": self.pk})


class Slot(models.Model):
    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="slots")
    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.CASCADE, related_name="review_slots")
    order = models.PositiveSmallIntegerField(default=1)
    starts_at = models.DateTimeField(null=True, blank=True)
    presenter_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="presenting_slots", verbose_name="presenter")
    discussant_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="discussing_slots", verbose_name="discussant")
    chair_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="chairing_slots", verbose_name="chair")
    # Free-text names from before participants were accounts: shown only when no account is chosen.
    presenter = models.CharField(max_length=200, blank=True)
    discussant = models.CharField(max_length=200, blank=True)
    chair = models.CharField(max_length=200, blank=True)
    feedback = models.TextField(blank=True)
    feedback_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.session}: {self.chapter}"

    @property
    def presenter_name(self) -> str:
        return person_name(self.presenter_user) or self.presenter

    @property
    def discussant_name(self) -> str:
        return person_name(self.discussant_user) or self.discussant

    @property
    def chair_name(self) -> str:
        return person_name(self.chair_user) or self.chair

    def participants(self) -> list:
        """The accounts taking part in this slot (presenter, discussant, chair), each once."""
        people = [self.presenter_user, self.discussant_user, self.chair_user]
        return list({p.pk: p for p in people if p is not None}.values())


def person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name().strip() or user.username


class DraftReminderSent(models.Model):
    """One reminder of a session's draft deadline per participant and deadline date (a moved deadline re-arms it)."""

    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="draft_reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    drafts_due = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user", "drafts_due"],
                                               name="one_draft_reminder_per_participant_and_deadline")]


class SlotUpload(models.Model):
    class Kind(models.TextChoices):
        DRAFT = "draft", "Draft"
        SLIDES = "slides", "Slides"

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="uploads")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(max_length=200)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slot", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"
