"""A manuscript upload: checked in memory with the checker the CLI uses, refused when it carries markings,
otherwise stored once, by its SHA-256, as an immutable version with its report.

Nothing of a refused file is written: not the file, not a row, not its name in the audit log.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import NamedTuple

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from chapterhouse.chapters.models import Chapter, ManuscriptVersion, version_path
from chapterhouse.manuscripts.checker import check
from chapterhouse.manuscripts.context import CheckRules
from chapterhouse.manuscripts.report import Report
from chapterhouse.workflow.transitions import record_event


@dataclass(frozen=True)
class Problem:
    message: str
    location: str = ""
    hint: str = ""


class UploadRefused(Exception):
    """The file is not stored; ``problems`` say why and where, in the checker's words."""

    def __init__(self, summary: str, problems: list[Problem], report: Report | None = None):
        super().__init__(summary)
        self.summary = summary
        self.problems = problems
        self.report = report


_rules_cache: dict[tuple[int, str], CheckRules] = {}


def rules_for(call) -> CheckRules:
    """The call's checking rules, kept per process and call version (a reloaded call file makes a new key)."""
    key = (call.pk, call.loaded_at.isoformat() if call.loaded_at else "")
    if key not in _rules_cache:
        _rules_cache[key] = CheckRules.of(call.definition)
    return _rules_cache[key]


def check_in_memory(call, data: bytes, filename: str) -> Report:
    return check(data, rules_for(call), filename=filename)


def refusal(report: Report) -> UploadRefused | None:
    """Why a checked file must not be kept: it cannot be read as Word, or it carries markings."""
    if report.refusal:
        return UploadRefused(report.refusal.message, [Problem(report.refusal.message)], report)
    markings = [f for f in report.findings if f.category == "security" and f.severity == "error"]
    if markings:
        return UploadRefused(
            "This file carries classification or CUI markings, so it was not kept. Nothing of it was stored.",
            [Problem(f.message, str(f.location) if f.location else "", f.hint) for f in markings], report)
    return None


def store_version(chapter: Chapter, data: bytes, filename: str, by, note: str = "") -> ManuscriptVersion:
    """Checks ``data`` and stores it as the chapter's next version; raises UploadRefused and stores nothing."""
    if not data:
        raise UploadRefused("The file is empty.", [Problem("The file is empty (0 bytes). Choose the chapter file itself.")])
    report = check_in_memory(chapter.call, data, filename)
    refused = refusal(report)
    if refused:
        raise refused
    sha256 = hashlib.sha256(data).hexdigest()
    same = chapter.versions.filter(sha256=sha256).first()
    if same is not None:
        raise UploadRefused(f"This file is identical to version {same.number}, already stored.",
                            [Problem(f"Same content as version {same.number} ({same.original_name}).")])
    words = report.words.total if report.words else 0
    with transaction.atomic():
        Chapter.objects.select_for_update().only("pk").get(pk=chapter.pk)
        number = (chapter.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ManuscriptVersion(chapter=chapter, number=number, sha256=sha256, original_name=filename[:255],
                                    size=len(data), words=words, passed=report.passed, report=report.as_dict(),
                                    note=note, uploaded_by=by)
        name = version_path(version, filename)
        # Addressed by content: the same bytes stored for another chapter are the same file.
        version.file.name = name if default_storage.exists(name) else default_storage.save(name, ContentFile(data))
        version.save()
        result = "passed the checks" if report.passed else f"{report.counts()['error']} error(s) to fix"
        record_event(chapter, by, f"Uploaded version {number} ({words:,} words, {result})")
    return version


class Screened(NamedTuple):
    """A supporting file that may be kept: its kind, and the doubtful marking hits its uploader must read."""

    kind: str
    warnings: list[str]


def screen_attachment(filename: str, data: bytes, kinds: tuple[str, ...] = ("docx", "pdf")) -> Screened:
    """A supporting file (permission letter, slides, annotated draft) read in memory and scanned for markings
    with the one rule the checker and intake use: a marking in marking position raises UploadRefused, so nothing
    is stored; a doubtful one (a marking word in a sentence, a "CUI:" label) is returned as a warning to show."""
    from django.conf import settings

    from chapterhouse.proposals.attachments import AttachmentRefused, inspect_attachment
    from chapterhouse.screening.markings import certain, doubtful, scan

    try:
        inspected = inspect_attachment(filename, data, list(kinds), settings.CHAPTERHOUSE_MAX_UPLOAD_MB * 1048576)
    except AttachmentRefused as error:
        raise UploadRefused(str(error), [Problem(str(error))]) from None
    hits = inspected.label_hits + scan(inspected.blocks)
    refused = certain(hits)
    if refused:
        raise UploadRefused(
            "This file carries classification or CUI markings, so it was not kept. Nothing of it was stored.",
            [Problem(f"Marking “{h.marking}” ({h.description}).", f"{h.location}: “{h.excerpt}”") for h in refused])
    return Screened(inspected.kind, [f"Check before it is shared: “{h.marking}” ({h.description}) at {h.location}: "
                                     f"“{h.excerpt}”." for h in doubtful(hits)])


def store_attachment(field, filename: str, data: bytes, folder: str) -> str:
    """Saves screened bytes through the storage API under their SHA-256; returns the stored name."""
    sha256 = hashlib.sha256(data).hexdigest()
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    name = f"{folder}/{sha256[:2]}/{sha256}.{extension}"
    field.name = name if default_storage.exists(name) else default_storage.save(name, ContentFile(data))
    return field.name
