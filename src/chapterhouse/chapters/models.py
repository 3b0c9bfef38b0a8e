"""A chapter of the volume, its authors and the manuscript versions they upload.

A chapter starts from an accepted proposal (``start.start_chapter``); its state moves only through
``workflow.transitions.transition`` along ``states.CHAPTER_WORKFLOW``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
