"""Counting what is stored: files under MEDIA_ROOT and rows of every model that could keep an upload."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def stored_files() -> int:
    root = Path(settings.MEDIA_ROOT)
    return sum(1 for path in root.rglob("*") if path.is_file()) if root.exists() else 0


def stored_rows() -> dict[str, int]:
    from chapterhouse.chapters.models import FeedbackRound, ManuscriptVersion, PermissionRecord
    from chapterhouse.progress.models import SlotUpload
    from chapterhouse.workflow.models import AuditEntry

    return {model.__name__: model.objects.count()
            for model in (ManuscriptVersion, FeedbackRound, PermissionRecord, SlotUpload, AuditEntry)}
