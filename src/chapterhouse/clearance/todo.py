"""To-do items of the security review: an author's required changes (and a returned amendment's reason); the
editors' request to prepare, submit, follow up or appeal; the security reviewer's answers to record, amended
versions to confirm, and text changed after clearance to read."""

from __future__ import annotations

from django.urls import reverse

from chapterhouse.accounts.roles import AUTHOR, EDITOR, SECURITY_REVIEWER
from chapterhouse.accounts.todo import Item, calls_in_progress, contributes, milestone_dates
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.states import FINAL
from chapterhouse.clearance.author_views import returned_because
from chapterhouse.clearance.models import Amendment, ClearanceRequest
from chapterhouse.clearance.states import AMENDED, CLEARED_STATES, OBJECTION, PREPARED, REQUIRED, RETURNED

STAGE = "Security review"


def _requests():
    return ClearanceRequest.objects.filter(call__in=calls_in_progress()).select_related("call")


@contributes(AUTHOR)
def amendments_to_make(user, today):
    amendments = (Amendment.objects.filter(chapter__authors__user=user, status__in=(REQUIRED, RETURNED),
                                           request__call__in=calls_in_progress())
                  .distinct().select_related("chapter__call"))
    for chapter_id in dict.fromkeys(a.chapter_id for a in amendments):
        mine = [a for a in amendments if a.chapter_id == chapter_id]
        chapter = mine[0].chapter
        reasons = [reason for reason in map(returned_because, mine) if reason]
        text = (f"Upload “{chapter.title}” again: the security reviewer returned your amendment" if reasons else
                f"Make the {len(mine)} change{'s' if len(mine) != 1 else ''} the security review requires in "
                f"“{chapter.title}”")
        yield Item(STAGE, text, reverse("my_amendments", args=[chapter.pk]),
                   due=milestone_dates(chapter.call).get("line_editing_galleys"),
                   detail=" ".join(f"Reason: {reason}" for reason in reasons))


@contributes(EDITOR)
def requests_to_prepare(user, today):
    requests = {r.call_id: r for r in _requests()}
    for call in calls_in_progress():
        final = Chapter.objects.filter(call=call, status=FINAL)
        due = milestone_dates(call).get("security_review_submission")
        request = requests.get(call.pk)
        if request is None:
            if final.exists():
                count = final.count()
                yield Item(STAGE, f"Prepare the security review request for {call.title} ({count} chapter"
                           f"{'s' if count != 1 else ''} accepted as final)", reverse("clearance_home"), due=due)
            continue
        if request.status == PREPARED:
            yield Item(STAGE, f"Check and submit the security review request for {call.title}",
                       reverse("clearance_request", args=[request.pk]), due=due)
        elif request.status == OBJECTION:
            yield Item(STAGE, f"The office objected to {call.title}: appeal or revise", reverse(
                "clearance_request", args=[request.pk]), due=due)
        elif request.overdue(today):
            yield Item(STAGE, f"The office's answer on {call.title} is overdue: ask after it",
                       reverse("clearance_request", args=[request.pk]), due=request.expected_on)
        unsent = final.exclude(clearance_items__request__call=call).count()
        if unsent and request.status != PREPARED:
            yield Item(STAGE, f"{unsent} chapter{'s' if unsent != 1 else ''} of {call.title} accepted after the "
                       "request: ask for a follow-up review", reverse("clearance_request", args=[request.pk]), due=due)


@contributes(SECURITY_REVIEWER)
def answers_and_amendments(user, today):
    for request in _requests():
        if request.waiting_on_office:
            yield Item(STAGE, f"Record the office's answer on {request.call.title} ({request.status_label.lower()})",
                       reverse("clearance_request", args=[request.pk]), due=request.expected_on)
    amended = (Amendment.objects.filter(status=AMENDED, request__call__in=calls_in_progress())
               .select_related("chapter", "request"))
    for key in dict.fromkeys((a.request_id, a.chapter_id) for a in amended):
        first = next(a for a in amended if (a.request_id, a.chapter_id) == key)
        yield Item(STAGE, f"Confirm or return the amended “{first.chapter.title}”",
                   reverse("clearance_chapter", args=[first.request_id, first.chapter_id]),
                   due=milestone_dates(first.request.call).get("line_editing_galleys"))


@contributes(SECURITY_REVIEWER)
def changes_after_clearance(user, today):
    """Copyedits approved and proof corrections filed after a chapter's cleared text (the page lists each change,
    those that may change the meaning flagged)."""
    from chapterhouse.clearance.later_changes import cleared_version
    from chapterhouse.production.lineedit.models import CopyeditRound
    from chapterhouse.production.proofs.models import Correction

    for request in _requests().filter(status__in=CLEARED_STATES):
        for item in request.items.select_related("chapter"):
            cleared = cleared_version(request, item.chapter)
            changes = (CopyeditRound.objects.filter(chapter=item.chapter, approved_version__isnull=False,
                                                    approved_version__uploaded_at__gt=cleared.uploaded_at).count()
                       + Correction.objects.filter(proof__chapter=item.chapter, filed_at__gt=cleared.uploaded_at)
                       .exclude(status="rejected").count())
            if changes:
                yield Item(STAGE, f"Read the {changes} change{'s' if changes != 1 else ''} to “{item.chapter.title}” "
                           "made after clearance", reverse("clearance_chapter", args=[request.pk, item.chapter_id]),
                           due=milestone_dates(request.call).get("launch"))


@contributes(SECURITY_REVIEWER)
def text_changes_after_clearance(user, today):
    """Front matter and part introductions edited after the office cleared them, not yet read (the page shows the
    text as it stands against the words cleared)."""
    from chapterhouse.clearance.later_changes import changed_texts, text_read

    calls = {r.call_id: r.call for r in _requests().filter(status__in=CLEARED_STATES)}
    for call in calls.values():
        for cleared, current in changed_texts(call):
            if not text_read(cleared.request, cleared.key, current.sha256):
                yield Item(STAGE, f"Read the changes to “{current.title}” made after clearance",
                           reverse("clearance_text", args=[cleared.request_id, cleared.pk]),
                           due=milestone_dates(call).get("launch"))
