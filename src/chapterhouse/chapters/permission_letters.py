"""A chapter author's own permission letter for a permission record: screened like every supporting file,
stored, and left "requested" until an editor reads it and marks the permission granted on the records page."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from chapterhouse.chapters.models import PermissionRecord
from chapterhouse.chapters.upload import UploadRefused, screen_attachment, store_attachment
from chapterhouse.web.uploads import OversizeUpload
from chapterhouse.workflow.transitions import record_event


def attach_author_letter(record: PermissionRecord, upload, by) -> list[str]:
    """Stores the letter (raises UploadRefused with nothing stored); returns marking warnings to show.

    The status becomes (or stays) "requested" whatever it was: a letter an editor has not read is not a grant,
    and a new letter replacing a confirmed one needs confirming again.
    """
    if isinstance(upload, OversizeUpload):
        limit = settings.CHAPTERHOUSE_MAX_UPLOAD_MB
        raise UploadRefused(f"“{upload.name}” is {upload.size / 1_048_576:.1f} MB; the limit is {limit} MB.", [])
    data = upload.read()
    warnings = screen_attachment(upload.name, data, ("pdf", "docx")).warnings
    with transaction.atomic():
        store_attachment(record.document, upload.name, data, "permissions")
        record.document_name = upload.name[:255]
        record.save()
        # A permission record is a record, not a workflow object: its state is a field the editors set on the
        # records page; a new letter puts it back to "requested" until they confirm it.
        PermissionRecord.objects.filter(pk=record.pk).update(status=PermissionRecord.Status.REQUESTED)
        record.refresh_from_db(fields=["status"])
        record_event(record.chapter, by, f"Permission letter uploaded by the author for “{record.material}”",
                     "Awaits an editor's confirmation.")
    return warnings
