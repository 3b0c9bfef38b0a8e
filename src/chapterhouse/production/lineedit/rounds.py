"""Copyedit rounds: production's upload (read for its tracked changes and queries; markings refused before
anything is stored), the author's approval (the accepted text becomes the chapter's final version) or answers."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from chapterhouse.manuscripts.checker import check
from chapterhouse.ooxml.package import PackageError
from chapterhouse.ooxml.reader import read_manuscript
from chapterhouse.production.lineedit import notify
from chapterhouse.production.lineedit.models import CopyeditFile, CopyeditRound
from chapterhouse.production.lineedit.states import ANSWERED, APPROVED, WITH_AUTHOR
from chapterhouse.production.versions import add_version
from chapterhouse.production.wordedits import EditFailed, accept_all
from chapterhouse.workflow.transitions import record_creation, record_event, transition


class CopyeditRefused(Exception):
    """The file or the step cannot be used; nothing was stored. The message says why."""


def open_round(chapter) -> CopyeditRound | None:
    return chapter.copyedits.exclude(status=APPROVED).first()


def _read(data: bytes, name: str, rules) -> tuple[int, list[dict]]:
    report = check(data, rules, filename=name).as_dict()
    if report["refused"]:
        raise CopyeditRefused(report["refused"]["message"])
    markings = [f["message"] for f in report["findings"] if f["rule"].startswith("security.") and f["severity"] == "error"]
    if markings:
        raise CopyeditRefused("The file was not stored: " + " ".join(markings))
    try:
        document = read_manuscript(data)
    except PackageError as error:
        raise CopyeditRefused(str(error)) from None
    queries = [{"author": c.author, "text": " ".join(p.text for p in c.paragraphs).strip()} for c in document.comments]
    return len(document.revisions), queries


def upload_copyedit(chapter, data: bytes, name: str, note: str, by, roles: set[str]) -> CopyeditFile:
    """Starts a round (or answers the author's queries in an open one) with the copyedited file."""
    tracked, queries = _read(data, name, chapter.call.definition)
    current = open_round(chapter)
    if current is not None and current.status in {WITH_AUTHOR}:
        raise CopyeditRefused("The author has the current copyedit; wait for their approval or answers.")
    if chapter.final_version is None:
        raise CopyeditRefused("The chapter has no final version to copyedit.")
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        if current is None:
            current = CopyeditRound.objects.create(chapter=chapter, based_on=chapter.final_version, started_by=by)
            record_creation(current, by, "Send the copyedit to the author")
        else:
            transition(current, WITH_AUTHOR, by, roles, note or "Revised copyedit")
        number = (current.files.aggregate(n=Max("number"))["n"] or 0) + 1
        item = CopyeditFile(round=current, number=number, sha256=digest, original_name=name[:255],
                            tracked_changes=tracked, queries=queries, note=note.strip(), uploaded_by=by)
        item.file.save(name, ContentFile(data), save=False)
        item.save()
        notify.copyedit_sent(current, item)
    return item


def approve(round_: CopyeditRound, by, roles: set[str]) -> ManuscriptVersion:
    """The author's approval: the latest file with its changes accepted and queries removed, checked, becomes the
    chapter's final version, the one the galleys set."""
    latest = round_.latest_file
    with latest.file.open("rb") as handle:
        data = handle.read()
    try:
        clean = accept_all(data)
    except EditFailed as error:
        raise CopyeditRefused(str(error)) from None
    chapter = round_.chapter
    report = check(clean, chapter.call.definition, filename=latest.original_name).as_dict()
    left = [f["message"] for f in report["findings"]
            if f["rule"] in {"sanitization.tracked-changes", "sanitization.comments"}]
    if left:
        raise CopyeditRefused("The approved text still carries changes or queries: " + " ".join(left))
    with transaction.atomic():
        transition(round_, APPROVED, by, roles)
        version = add_version(chapter, clean, f"copyedited-{latest.original_name}", by, report,
                              f"Copyedit {latest.number} approved by the author; changes accepted.")
        version.make_final()
        CopyeditRound.objects.filter(pk=round_.pk).update(approved_version=version)
        round_.approved_version = version
        record_event(chapter, by, f"Copyedit approved: version {version.number} is final")
        notify.copyedit_approved(round_)
    return version


def answer(round_: CopyeditRound, answers: str, by, roles: set[str]) -> None:
    with transaction.atomic():
        transition(round_, ANSWERED, by, roles, answers)
        notify.copyedit_answered(round_, answers)
