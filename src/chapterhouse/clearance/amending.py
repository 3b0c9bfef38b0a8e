"""Amendments: the office's required changes per chapter, the author's amended version (re-checked and diffed
against the cleared one, with every change outside the amended passages flagged), and the reviewer's answer."""

from __future__ import annotations

from django.db import transaction

from chapterhouse.clearance import notify
from chapterhouse.clearance.models import AmendedVersion, Amendment, ClearanceRequest
from chapterhouse.clearance.recheck import blocking, clearance_rules
from chapterhouse.clearance.scope import Passage, assess, compare, unmet
from chapterhouse.clearance.states import AMENDED, CONFIRMED, REQUIRED, RETURNED
from chapterhouse.manuscripts.checker import check
from chapterhouse.manuscripts.diff import diff_files
from chapterhouse.production.versions import add_version
from chapterhouse.workflow.transitions import record_creation, transition

OPEN = (REQUIRED, RETURNED)


class AmendmentRefused(Exception):
    """The upload cannot be used; nothing was stored. The message says why, for the person who sent it."""


def record_amendment(request: ClearanceRequest, chapter, location: str, cleared_text: str, required_text: str,
                     by) -> Amendment:
    with transaction.atomic():
        amendment = Amendment.objects.create(request=request, chapter=chapter, location=location.strip(),
                                             cleared_text=cleared_text.strip(), required_text=required_text.strip(),
                                             recorded_by=by)
        record_creation(amendment, by, "Record a required amendment")
        notify.amendment_recorded(amendment)
    return amendment


def cleared_version(request: ClearanceRequest, chapter) -> ManuscriptVersion:
    return request.items.get(chapter=chapter).version


def _read(version) -> bytes:
    with version.file.open("rb") as handle:
        return handle.read()


def upload_amended(request: ClearanceRequest, chapter, data: bytes, name: str, by, roles: set[str]) -> AmendedVersion:
    """Checks the amended file, refuses markings before storing anything, then stores it as a new version of the
    chapter, diffs it against the cleared version and moves the chapter's open amendments to "amended"."""
    amendments = list(request.amendments.filter(chapter=chapter))
    if not any(a.status in OPEN for a in amendments):
        raise AmendmentRefused("No amendment of this chapter is waiting for a new version.")
    report = check(data, clearance_rules(request.call.definition.manuscript), filename=name).as_dict()
    if report["refused"]:
        raise AmendmentRefused(report["refused"]["message"])
    markings = [f["message"] for f in report["findings"] if f["rule"].startswith("security.") and f["severity"] == "error"]
    if markings:
        raise AmendmentRefused("The file was not stored: " + " ".join(markings))
    cleared = cleared_version(request, chapter)
    compared = compare(diff_files(_read(cleared), data, old_name=cleared.original_name, new_name=name))
    passages = [Passage(a.pk, a.cleared_text, a.required_text) for a in amendments]
    assessed = assess(compared.changes, compared.cleared, passages)
    with transaction.atomic():
        version = add_version(chapter, data, name, by, report, "Amended version for the security and policy review.")
        number = version.number
        amended = AmendedVersion.objects.create(
            request=request, chapter=chapter, cleared_version=cleared, version=version, uploaded_by=by,
            problems=blocking(report),
            changes=[change_record(a, compared.cleared.get(a.change.part, [])) for a in assessed],
            flagged=sum(a.flagged for a in assessed),
            unmet=[p.ident for p in unmet(passages, compared.amended)])
        for amendment in amendments:
            if amendment.status in OPEN:
                transition(amendment, AMENDED, by, roles, f"Version {number} uploaded")
        notify.amended_version_uploaded(amended)
    return amended


CONTEXT_WORDS = 6


def change_record(assessed, cleared_words: list[str]) -> dict:
    """One change as stored and shown: its part, a few cleared words either side, and the amendment covering it."""
    change = assessed.change
    return {"part": change.part, "removed": " ".join(change.removed), "inserted": " ".join(change.inserted),
            "before": " ".join(cleared_words[max(0, change.old_start - CONTEXT_WORDS):change.old_start]),
            "after": " ".join(cleared_words[change.old_end:change.old_end + CONTEXT_WORDS]),
            "amendment": assessed.passage}


def annotate(amended_versions, amendments) -> None:
    """Gives each stored change the amendment covering it (``covered_by``) and each version its unmet ones."""
    by_id = {a.pk: a for a in amendments}
    for version in amended_versions:
        version.unmet_amendments = [by_id[i] for i in version.unmet if i in by_id]
        for change in version.changes:
            covering = by_id.get(change["amendment"])
            change["badge"] = f"amendment: {covering.location}" if covering else ""
            change["flag"] = "" if covering else "Outside the amended passages"


def latest_amended(request: ClearanceRequest, chapter) -> AmendedVersion | None:
    return request.amended_versions.filter(chapter=chapter).select_related("version").first()


def answer(amendment: Amendment, to: str, by, roles: set[str], why: str = "") -> None:
    """The reviewer confirms or returns one amendment; when every amendment of the chapter is confirmed, the
    amended version becomes the chapter's final version."""
    with transaction.atomic():
        transition(amendment, to, by, roles, why)
        siblings = amendment.request.amendments.filter(chapter=amendment.chapter)
        if to == CONFIRMED and not siblings.exclude(status=CONFIRMED).exists():
            amended = latest_amended(amendment.request, amendment.chapter)
            if amended is not None:
                amended.version.make_final()
        notify.amendment_answered(amendment, why)
