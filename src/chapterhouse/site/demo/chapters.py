"""The chapter stage of the demo story, on the call in its chapter stage (calls/dscu-sc-cases-2025.toml): chapters
in every state, with versions and their reports, feedback rounds, records and the in-progress review session held
on the call's own "progress_reviews" date, so the demo editor and authors see every page of the chapter stage
filled.

Each chapter starts as people start one (``story.py``): a proposal submitted through the intake, accepted on the
desk (which drafts its decision letter), the letter sent, and the chapter started from the accepted proposal.
The steps here are idempotent: a chapter that has versions or has left "writing" is not brought again, a session
or a record is made once.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from chapterhouse.call.models import Call
from chapterhouse.chapters.deadlines import default_revision_due
from chapterhouse.chapters.models import Chapter, FundingAward, OfficialAccess, PermissionRecord
from chapterhouse.chapters.rounds import send_to_editors, write_feedback
from chapterhouse.chapters.sample import chapter_markdown, edit, to_docx
from chapterhouse.chapters.states import FINAL, REVISING, SUBMITTED, WITHDRAWN, WRITING
from chapterhouse.chapters.upload import store_version
from chapterhouse.workflow.transitions import transition

CHAPTER_CALL_FILE = "dscu-sc-cases-2025.toml"
# The chapter-stage call is shifted so that today is this many days after its final chapters were due.
DAYS_AFTER_FINAL_CHAPTERS_DUE = 10

# title, theme slug, author (user name or a name without an account), the state to bring it to.
DEMO_CHAPTERS = [
    ("Multi-year contracts and munitions surge capacity", "industry", "author1", REVISING),
    ("Security cooperation offices and partner absorptive capacity", "partnership", "author2", SUBMITTED),
    ("Tiered review and the pace of technology release", "process", "author1", FINAL),
    ("Congressional notification as a signal to partners", "process", "Taylor Brooks", WRITING),
    ("Interoperability by design in multi-year cases", "partnership", "Morgan Diaz", WITHDRAWN),
]
EDITOR_ROLES = {"editor"}


def chapter_proposals() -> list[tuple[dict, str, str, str, str]]:
    """The proposals the chapters start from, as (author, title, theme, abstract, keywords)."""
    User = get_user_model()
    made = []
    for title, theme, who, _state in DEMO_CHAPTERS:
        user = User.objects.filter(username=who).first()
        author = {"name": user.get_full_name() if user else who,
                  "email": user.email if user else f"{who.split()[0].lower()}@example.org",
                  "affiliation": "Example University", "bio": f"Writes on {theme} in security cooperation."}
        made.append((author, title, theme, "", ""))
    return made


def bring_chapter(chapter: Chapter, number: int, editor) -> None:
    """Brings a demo chapter, still in "writing" with nothing uploaded, to its state in ``DEMO_CHAPTERS``; the
    first one also gets its permission, funding and officials' access records."""
    state = next(state for title, _theme, _who, state in DEMO_CHAPTERS if title == chapter.title)
    if number == 1:
        _records(chapter)
    if chapter.status != WRITING or chapter.versions.exists():
        return
    owner = chapter.authors.filter(user__isnull=False).first()
    with transaction.atomic():
        _bring_to(chapter, state, owner.user if owner else None, editor, seed=number)


def _bring_to(chapter: Chapter, state: str, author, editor, seed: int) -> None:
    """Uploads and moves the chapter the way people would, through the same services the pages use."""
    if state == WRITING:
        return
    if state == WITHDRAWN:
        transition(chapter, WITHDRAWN, editor, {"editor"}, "The author left the project (demo).")
        return
    markdown = chapter_markdown(words=4300 + 400 * seed, seed=seed, title=chapter.title)
    if state == SUBMITTED:  # an early draft too short for the call, so its report has findings to read
        store_version(chapter, to_docx(chapter_markdown(words=2600, seed=seed, title=chapter.title)), "draft.docx", author)
    first = store_version(chapter, to_docx(markdown), "chapter.docx", author)
    send_to_editors(chapter, author, {"owner"})
    if state == SUBMITTED:
        return
    today = timezone.localdate()
    write_feedback(chapter, first, editor, letter="Thank you for a strong draft. Please open with the case, cut the "
                   "second section by a third, and check note 2 against the bibliography.",
                   decision="revise", revised_due=default_revision_due(chapter, today) or today + dt.timedelta(days=45))
    if state == REVISING:
        return
    store_version(chapter, to_docx(edit(markdown)), "chapter-revised.docx", author)
    send_to_editors(chapter, author, {"owner"}, "I now open with the case and shortened section two; note 2 is fixed.")
    write_feedback(chapter, chapter.latest_version, editor, letter="Accepted with thanks.", decision="accept")
    assert chapter.status == FINAL


def _records(chapter: Chapter) -> None:
    if PermissionRecord.objects.filter(chapter=chapter).exists():
        return
    PermissionRecord.objects.create(chapter=chapter, material="Figure 1, map of coproduction sites",
                                    rights_holder="Atlas Press", status=PermissionRecord.Status.REQUESTED)
    FundingAward.objects.create(chapter=chapter, amount=2500, purpose="Archive travel",
                                status=FundingAward.Status.APPROVED)
    OfficialAccess.objects.create(chapter=chapter, officials="DSCA Directorate of Strategy",
                                  status=OfficialAccess.Status.ARRANGED,
                                  requested_on=timezone.localdate() - dt.timedelta(days=20),
                                  meeting_on=timezone.localdate() + dt.timedelta(days=10))


def sessions(call: Call, chapters: list[Chapter], editor) -> None:
    """The in-progress review session, held on the call's "progress_reviews" date with the first two chapters
    presented (the first has the editors' feedback from it; the second reviewer discussed), and a feedback
    workshop ahead, on the call's "editor_feedback" date, where the demo reviewer discusses the same two."""
    from chapterhouse.progress.models import ReviewSession, Slot

    if ReviewSession.objects.filter(call=call).exists() or len(chapters) < 2:
        return
    users = get_user_model().objects
    definition = call.definition
    held = [("In-progress reviews", "progress_reviews", users.filter(username="reviewer2").first(), True),
            ("Feedback workshop", "editor_feedback", users.filter(username="reviewer").first(), False)]
    for title, kind, discussant, with_feedback in held:
        milestone = definition.milestone(kind)
        if milestone is None or (with_feedback and milestone.date > timezone.localdate()):
            continue
        start = timezone.make_aware(dt.datetime.combine(milestone.date, dt.time(13, 0)))
        session = ReviewSession.objects.create(
            call=call, title=title, starts_at=start, ends_at=start + dt.timedelta(hours=3),
            place="Defense Security Cooperation University, Arlington, VA",
            video_link="https://meet.example.org/fms-reviews", event_name="FMS Symposium", chatham_house=True,
            drafts_due=(start - dt.timedelta(days=7)).date())
        for order, chapter in enumerate(chapters, start=1):
            author = chapter.authors.first()
            # A demo reviewer discusses and the demo editor (Avery Morgan) chairs: accounts, not names.
            feedback = with_feedback and order == 1
            Slot.objects.create(session=session, chapter=chapter, order=order, presenter_user=author.user,
                                presenter=author.name, discussant_user=discussant, chair_user=editor,
                                feedback="Strong case; bring the 2023 figures forward." if feedback else "",
                                feedback_by=editor if feedback else None,
                                feedback_at=timezone.now() if feedback else None)
