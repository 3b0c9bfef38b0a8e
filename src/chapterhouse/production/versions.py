"""New versions of a chapter made after it was accepted (an amended, copyedited or corrected text), stored like
the authors' own uploads; ``version.make_final()`` then moves the chapter's "final" mark to it."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from chapterhouse.chapters.models import ManuscriptVersion


def add_version(chapter, data: bytes, name: str, by, report: dict, note: str) -> ManuscriptVersion:
    """Stores ``data`` as the chapter's next version (not final); ``report`` is the checker's report of it."""
    with transaction.atomic():
        number = (chapter.versions.select_for_update().aggregate(n=Max("number"))["n"] or 0) + 1
        version = ManuscriptVersion(chapter=chapter, number=number, sha256=hashlib.sha256(data).hexdigest(),
                                    original_name=name[:255], size=len(data),
                                    words=(report.get("words") or {}).get("total", 0), passed=report.get("passed", False),
                                    report=report, uploaded_by=by, note=note)
        version.file.save(name or "chapter.docx", ContentFile(data), save=False)
        version.save()
    return version
