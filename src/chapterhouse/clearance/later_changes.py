"""What changed in a chapter after the office cleared it, for the security reviewer: each approved copyedit and
each accepted proof correction against the cleared text, with the changes that may alter the meaning flagged.
The volume's other texts (front matter, part introductions) get the same step: the words as cleared (kept in
``RequestText``) against the text as it stands, read and marked by the reviewer (``LaterTextChangesSeen``)."""

from __future__ import annotations

from difflib import SequenceMatcher

from django.db import transaction

from chapterhouse.clearance.amending import CONTEXT_WORDS, change_record
from chapterhouse.clearance.models import ClearanceRequest, LaterChangesSeen, LaterTextChangesSeen, RequestText
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


# -- front matter and part introductions ----------------------------------------------------------------------

def cleared_text(call, key: str) -> RequestText | None:
    """The text as the latest cleared request of the call carried it (its words are kept with the request)."""
    return (RequestText.objects.filter(request__call=call, request__status__in=CLEARED_STATES, key=key)
            .select_related("request").order_by("-request__created_at", "-request__pk").first())


def _change(part: str, old: list[str], new: list[str], i1: int, i2: int, j1: int, j2: int) -> dict:
    removed, inserted = " ".join(old[i1:i2]), " ".join(new[j1:j2])
    meaning = changes_meaning(removed, inserted)
    return {"part": part, "removed": removed, "inserted": inserted,
            "before": " ".join(old[max(0, i1 - CONTEXT_WORDS):i1]), "after": " ".join(old[i2:i2 + CONTEXT_WORDS]),
            "meaning": meaning, "flag": MEANING if meaning else "", "badge": "" if meaning else "editorial"}


def body_changes(cleared: RequestText, current) -> list[dict]:
    """The word changes from the cleared text to ``current`` (a ``VolumeText``): title, byline, then the words,
    each marked editorial or possibly meaningful."""
    changes = []
    pairs = [("title", cleared.title, current.title), ("byline", cleared.authors, ", ".join(current.authors)),
             ("text", cleared.body, current.body)]
    for part, before, after in pairs:
        old, new = before.split(), after.split()
        for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
            if op != "equal":
                changes.append(_change(part, old, new, i1, i2, j1, j2))
    return changes


def text_read(clearance: ClearanceRequest, key: str, sha256: str) -> bool:
    return LaterTextChangesSeen.objects.filter(request=clearance, key=key, sha256=sha256).exists()


def changed_texts(call) -> list[tuple[RequestText, object]]:
    """(the text as cleared, the text as it stands) for each text of the volume changed after clearance and not
    carried, as it stands, by a cleared request."""
    from chapterhouse.production.volume import volume_texts

    found = []
    for text in volume_texts(call):
        cleared = cleared_text(call, text.key)
        if cleared is None or cleared.sha256 == text.sha256:
            continue
        if RequestText.objects.filter(request__call=call, request__status__in=CLEARED_STATES, key=text.key,
                                      sha256=text.sha256).exists():
            continue
        found.append((cleared, text))
    return found


def mark_text_read(cleared: RequestText, current, by) -> LaterTextChangesSeen:
    """The security reviewer read the changes to ``cleared``'s text up to ``current`` (a ``VolumeText``): recorded
    and audited, so a build setting that text may be launched."""
    from chapterhouse.workflow.transitions import record_event

    with transaction.atomic():
        seen, _ = LaterTextChangesSeen.objects.get_or_create(request=cleared.request, key=cleared.key,
                                                             sha256=current.sha256, defaults={"seen_by": by})
        record_event(cleared.request, by, f"Changes after clearance read: “{current.title}”",
                     f"SHA-256 {current.sha256}")
    return seen
