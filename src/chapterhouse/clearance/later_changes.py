"""What changed in a chapter after the office cleared it, for the security reviewer: each approved copyedit and
each accepted proof correction against the cleared text, with the changes that may alter the meaning flagged."""

from __future__ import annotations

from django.db import transaction

from chapterhouse.clearance.amending import change_record
from chapterhouse.clearance.models import ClearanceRequest, LaterChangesSeen
from chapterhouse.clearance.scope import Assessed, changes_meaning, compare
from chapterhouse.clearance.states import CLEARED_STATES, CONFIRMED
from chapterhouse.manuscripts.diff import diff_files

MEANING = "May change the meaning"


def cleared_request(chapter) -> ClearanceRequest | None:
    return (ClearanceRequest.objects.filter(status__in=CLEARED_STATES, items__chapter=chapter)
            .order_by("-created_at").first())


def cleared_version(clearance: ClearanceRequest, chapter):
    """The text as cleared: the amended version once every amendment is confirmed, else the version sent."""
    amendments = clearance.amendments.filter(chapter=chapter)
    if amendments.exists() and not amendments.exclude(status=CONFIRMED).exists():
        amended = clearance.amended_versions.filter(chapter=chapter).first()
        if amended is not None:
            return amended.version
    return clearance.items.get(chapter=chapter).version


def _read(version) -> bytes:
    with version.file.open("rb") as handle:
        return handle.read()


def text_changes(old_version, new_version) -> list[dict]:
    """The word changes from one stored version to another, each marked editorial or possibly meaningful."""
    compared = compare(diff_files(_read(old_version), _read(new_version)))
    records = []
    for change in compared.changes:
        record = change_record(Assessed(change, None), compared.cleared.get(change.part, []))
        meaning = changes_meaning(record["removed"], record["inserted"])
        records.append({**record, "meaning": meaning, "flag": MEANING if meaning else "", "badge": "" if meaning
                        else "editorial"})
    return records


def for_chapter(clearance: ClearanceRequest, item) -> list[dict]:
    """One entry per approved copyedit after clearance, each with its changes against the cleared text."""
    from chapterhouse.production.lineedit.models import CopyeditRound

    cleared = cleared_version(clearance, item.chapter)
    entries = []
    for round_ in CopyeditRound.objects.filter(chapter=item.chapter, approved_version__isnull=False,
                                               approved_version__uploaded_at__gt=cleared.uploaded_at):
        changes = text_changes(cleared, round_.approved_version)
        entries.append({"title": f"Copyedit approved {round_.status_changed_at:%d %B %Y}: version "
                                 f"{round_.approved_version.number} against the cleared version {cleared.number}",
                        "changes": changes, "flagged": sum(c["meaning"] for c in changes)})
    proofs = proof_corrections(item.chapter, cleared)
    if proofs:
        entries.append({"title": "Proof corrections", "changes": proofs, "flagged": sum(c["meaning"] for c in proofs)})
    current = item.chapter.final_version
    if not entries and current is not None and current.sha256 != cleared.sha256:
        changes = text_changes(cleared, current)  # a final version set another way: still read before launch
        entries.append({"title": f"Version {current.number} against the cleared version {cleared.number}",
                        "changes": changes, "flagged": sum(c["meaning"] for c in changes)})
    return entries


def proof_corrections(chapter, cleared) -> list[dict]:
    """The authors' proof corrections filed after the cleared text, those changing the meaning flagged."""
    from chapterhouse.production.proofs.models import Correction

    found = Correction.objects.filter(proof__chapter=chapter, filed_at__gt=cleared.uploaded_at).exclude(
        status="rejected")
    return [{"part": f"p. {c.page}, l. {c.line}", "removed": c.wrong, "inserted": c.right, "before": "", "after": "",
             "meaning": c.changes_meaning, "flag": MEANING if c.changes_meaning else "",
             "badge": c.status_label.lower()} for c in found]


def mark_read(clearance: ClearanceRequest, chapter, version, by) -> LaterChangesSeen:
    """The security reviewer read the chapter's changes after clearance up to ``version``: recorded and audited,
    so a build setting that version may be launched."""
    from chapterhouse.workflow.transitions import record_event

    with transaction.atomic():
        seen, _ = LaterChangesSeen.objects.get_or_create(request=clearance, chapter=chapter, version=version,
                                                         defaults={"seen_by": by})
        record_event(clearance, by, f"Changes after clearance read: “{chapter.title}” up to version {version.number}")
    return seen
