"""A copyedit round per chapter and the copyedited files production sends in it; the approved file, with its
tracked changes accepted and queries removed, becomes the chapter's final version (the one typeset)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from chapterhouse.chapters.models import Chapter, ManuscriptVersion
from chapterhouse.production.lineedit.states import COPYEDIT_WORKFLOW
from chapterhouse.workflow.models import Stateful


def copyedit_path(instance: CopyeditFile, filename: str) -> str:
    return f"copyedits/{instance.sha256[:2]}/{instance.sha256}.docx"


class CopyeditRound(Stateful):
    workflow = COPYEDIT_WORKFLOW

    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="copyedits")
    status = models.CharField(max_length=20, choices=COPYEDIT_WORKFLOW.choices(), default=COPYEDIT_WORKFLOW.initial,
                              db_index=True)
    based_on = models.ForeignKey(ManuscriptVersion, on_delete=models.PROTECT, related_name="+",
                                 help_text="The final version the copyeditor worked on.")
    approved_version = models.OneToOneField(ManuscriptVersion, null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="copyedit_round")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["chapter", "-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Copyedit of “{self.chapter}” ({self.status_label})"


    @property
    def latest_file(self) -> CopyeditFile | None:
        return self.files.order_by("-number").first()


class CopyeditFile(models.Model):
    round = models.ForeignKey(CopyeditRound, on_delete=models.CASCADE, related_name="files")
    number = models.PositiveIntegerField()
    file = models.FileField(upload_to=copyedit_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=255)
    tracked_changes = models.PositiveIntegerField(default=0)
    queries = models.JSONField(default=list, help_text="The copyeditor's comments: [{author, text}].")
    note = models.TextField(blank=True, help_text="Production's note to the author with this file.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "number"]
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="copyedit_file_number_unique")]
