"""Feedback and revision rounds: the editors' letter and decision, the author's answer, the final mark.

Each step moves the chapter through ``transition()`` (audited) and queues its mail in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from chapterhouse.accounts.roles import EDITOR
from chapterhouse.chapters.mail import author_addresses, editor_addresses, notify
from chapterhouse.chapters.deadlines import check_revision_due, current_deadline, days_late
from chapterhouse.chapters.models import Chapter, FeedbackRound, FindingWaiver, LateArrival, ManuscriptVersion
from chapterhouse.chapters.states import FINAL, REVISING, SUBMITTED
from chapterhouse.chapters.upload import check_in_memory, refusal
from chapterhouse.workflow.statemachine import TransitionNotAllowed
from chapterhouse.workflow.transitions import record_event, transition


class NotFinal(TransitionNotAllowed):
    """A version with an unwaived error cannot be the final one."""


def check_can_be_final(version: ManuscriptVersion) -> None:
    errors = version.unwaived_errors()
    if errors:
        raise NotFinal(f"Version {version.number} cannot be final: {len(errors)} error(s) are neither fixed nor "
                       "waived. Waive each with a reason, or ask the author for a corrected version.")


def mark_final(version: ManuscriptVersion, by) -> None:
    check_can_be_final(version)
    with transaction.atomic():
        version.make_final()
        record_event(version.chapter, by, f"Marked version {version.number} as final")


def waive(version: ManuscriptVersion, index: int, reason: str, by) -> FindingWaiver:
    findings = version.report.get("findings", [])
    if not 0 <= index < len(findings):
        raise ValueError("There is no such finding in this version's report.")
    if not reason.strip():
        raise ValueError("Say why this finding may stand; the reason is kept with the version.")
    rule = findings[index]["rule"]
    with transaction.atomic():
        waiver, _ = FindingWaiver.objects.update_or_create(
            version=version, finding=index, defaults={"rule": rule, "reason": reason.strip(), "waived_by": by})
        record_event(version.chapter, by, f"Waived “{rule}” in version {version.number}", reason)
    return waiver


def write_feedback(chapter: Chapter, version: ManuscriptVersion, by, *, letter: str, decision: str,
                   revised_due: dt.date | None = None, annotated: tuple[str, bytes] | None = None) -> FeedbackRound:
    """The editors' round on ``version``: accept it as final, or ask for a revision by ``revised_due``."""
    if decision == FeedbackRound.Decision.REVISE and revised_due is None:
        raise ValueError("Give the date the revised chapter is due.")
    if decision == FeedbackRound.Decision.REVISE:
        check_revision_due(chapter, revised_due, timezone.localdate())
    if decision == FeedbackRound.Decision.ACCEPT:
        check_can_be_final(version)  # before anything is written, the annotated file included
    sha256 = ""
    if annotated:
        name, data = annotated
        refused = refusal(check_in_memory(chapter.call, data, name))
        if refused:
            raise refused
        sha256 = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        number = (chapter.rounds.aggregate(n=Max("number"))["n"] or 0) + 1
        feedback = FeedbackRound(chapter=chapter, number=number, version=version, letter=letter.strip(),
                                 decision=decision, written_by=by,
                                 revised_due=revised_due if decision == FeedbackRound.Decision.REVISE else None)
        if annotated:
            feedback.annotated_name, feedback.annotated_sha256 = annotated[0][:255], sha256
            feedback.annotated.save(annotated[0], ContentFile(annotated[1]), save=False)
        feedback.save()
        if decision == FeedbackRound.Decision.ACCEPT:
            mark_final(version, by)
            transition(chapter, FINAL, by, {EDITOR}, f"Feedback round {number}: accepted version {version.number}")
        else:
            transition(chapter, REVISING, by, {EDITOR}, f"Feedback round {number}: revise by {revised_due:%-d %B %Y}")
        notify(chapter, "chapters/email/feedback.txt", {"round": feedback}, author_addresses(chapter), "chapter-feedback")
    return feedback


def send_to_editors(chapter: Chapter, by, roles: set[str], letter: str = "", on: dt.date | None = None) -> None:
    """The author sends the latest version; in a revision round their letter answers the editors'. ``on`` is the
    day it is sent, today unless a story replayed on a past call's dates says otherwise (the demo)."""
    version = chapter.latest_version
    if version is None:
        raise TransitionNotAllowed("Upload the chapter first; there is no version to send.")
    open_round = chapter.rounds.filter(decision=FeedbackRound.Decision.REVISE, responded_at__isnull=True).last()
    if open_round is not None:
        if not letter.strip():
            raise TransitionNotAllowed("Write a response letter: say how the revision answers the editors' feedback.")
        if version.pk == open_round.version_id:
            raise TransitionNotAllowed("Upload the revised version first; the latest version is the one the editors "
                                       "already commented on.")
    owed, late_by = current_deadline(chapter), days_late(chapter, on or timezone.localdate())
    with transaction.atomic():
        transition(chapter, SUBMITTED, by, roles, letter)
        late = LateArrival.objects.create(chapter=chapter, version=version, kind=owed.kind, due_on=owed.due_on,
                                          days=late_by) if late_by else None
        if open_round is not None:
            open_round.response_letter, open_round.response_version = letter.strip(), version
            open_round.responded_at = timezone.now()
            open_round.save(update_fields=["response_letter", "response_version", "responded_at"])
        notify(chapter, "chapters/email/submitted.txt", {"version": version, "round": open_round, "letter": letter,
                                                          "late": late},
               editor_addresses(), "chapter-submitted")
