"""A review session, its slots (one chapter each, with presenter, discussant and chair) and what authors
upload for their slot."""

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

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("review_session", kwargs={"pk": self.pk})


class Slot(models.Model):
    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="slots")
    chapter = models.ForeignKey("chapters.Chapter", on_delete=models.CASCADE, related_name="review_slots")
    order = models.PositiveSmallIntegerField(default=1)
    starts_at = models.DateTimeField(null=True, blank=True)
    presenter = models.CharField(max_length=200)
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
