"""Demo chapters in every state, with versions and their reports, a feedback round, records and a review
session, so the demo editor and authors see every page of the chapter stage filled.

Each chapter starts as people start one: a proposal submitted through the intake, accepted on the desk (which
drafts its decision letter), the letter sent, and the chapter started from the accepted proposal. So the desk
never shows a chapter's proposal as still under review.

Idempotent: a second run finds the demo chapters by title and adds nothing. Called once from ``site/demo/story.py``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from chapterhouse.accounts.roles import EDITOR
from chapterhouse.call.models import Call
from chapterhouse.chapters.models import Chapter, FundingAward, OfficialAccess, PermissionRecord
from chapterhouse.chapters.rounds import send_to_editors, write_feedback
from chapterhouse.chapters.sample import chapter_markdown, edit, to_docx
from chapterhouse.chapters.start import start_chapter
from chapterhouse.chapters.states import FINAL, REVISING, SUBMITTED, WITHDRAWN, WRITING
from chapterhouse.chapters.upload import store_version
from chapterhouse.proposals.intake import Submission, submit_proposal
from chapterhouse.proposals.models import Proposal
from chapterhouse.proposals.states import ACCEPTED, UNDER_REVIEW
from chapterhouse.workflow.transitions import transition

# title, theme slug, author (user name or a name without an account), the state to bring it to. The demo's
# sample proposals (``proposals.py``) stay under review for the reviewers; these chapters are other work.
DEMO_CHAPTERS = [
    ("Multi-year contracts and munitions surge capacity", "industry", "author1", REVISING),
    ("Security cooperation offices and partner absorptive capacity", "partnership", "author2", SUBMITTED),
    ("Tiered review and the pace of technology release", "process", "author1", FINAL),
    ("Congressional notification as a signal to partners", "process", "Taylor Brooks", WRITING),
    ("Interoperability by design in multi-year cases", "partnership", "Morgan Diaz", WITHDRAWN),
]
EDITOR_ROLES = {"editor"}


def seed_chapters(call: Call) -> list[Chapter]:
    User = get_user_model()
    editor = User.objects.filter(groups__name=EDITOR).order_by("pk").first()
    themes = {theme.slug for theme in call.themes.all()}
    made = []
    for seed, (title, theme, who, state) in enumerate(DEMO_CHAPTERS, start=1):
        if Chapter.objects.filter(call=call, title=title).exists() or theme not in themes:
            continue
        user = User.objects.filter(username=who).first()
        author = {"name": user.get_full_name() if user else who,
                  "email": user.email if user else f"{who.split()[0].lower()}@example.org",
                  "affiliation": "Example University", "bio": f"Writes on {theme} in security cooperation."}
        proposal = accept_as_editors_do(submitted_proposal(call, title, theme, author), editor)
        with transaction.atomic():
            chapter = start_chapter(proposal, editor)
            _bring_to(chapter, state, user, editor, seed=seed)
        made.append(chapter)
    if made:
        _records(made[0])
        _session(call, made[:2], editor)
    return made


def submitted_proposal(call: Call, title: str, theme: str, author: dict, abstract: str = "", keywords: str = "",
                       base_url: str = ""):
    """The call's proposal titled ``title``, submitted through the intake (screening, receipt) if it is not there."""
    proposal = Proposal.objects.filter(call=call, title=title).first()
    if proposal is None:
        abstract = abstract or (f"This chapter, {title.lower()}, draws on cases of security cooperation since 2015 to "
                                "ask what the programme offices, partners and industry learned, and what the "
                                "implementing agencies should change in the case development process.")
        proposal = submit_proposal(call, Submission(title=title, theme=theme, abstract=abstract,
                                                    keywords=keywords or theme, authors=[author]),
                                   base_url or settings.CHAPTERHOUSE_BASE_URL)
    return proposal


def accept_as_editors_do(proposal: Proposal, editor) -> Proposal:
    """Moves ``proposal`` as the desk does: review started, accepted (which drafts the decision letter), and the
    letter sent to the author."""
    from chapterhouse.selection.models import DecisionLetter
    from chapterhouse.selection.services import send_letter

    if proposal.status == ACCEPTED:
        return proposal
    if proposal.status != UNDER_REVIEW:
        transition(proposal, UNDER_REVIEW, editor, EDITOR_ROLES)
    transition(proposal, ACCEPTED, editor, EDITOR_ROLES)
    send_letter(DecisionLetter.objects.get(decision__proposal=proposal), editor)
    proposal.refresh_from_db()
    return proposal


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
    write_feedback(chapter, first, editor, letter="Thank you for a strong draft. Please open with the case, cut the "
                   "second section by a third, and check note 2 against the bibliography.",
                   decision="revise", revised_due=timezone.localdate() + dt.timedelta(days=45))
    if state == REVISING:
        return
    store_version(chapter, to_docx(edit(markdown)), "chapter-revised.docx", author)
    send_to_editors(chapter, author, {"owner"}, "I now open with the case and shortened section two; note 2 is fixed.")
    write_feedback(chapter, chapter.latest_version, editor, letter="Accepted with thanks.", decision="accept")
    assert chapter.status == FINAL


def _records(chapter: Chapter) -> None:
    PermissionRecord.objects.create(chapter=chapter, material="Figure 1, map of coproduction sites",
                                    rights_holder="Atlas Press", status=PermissionRecord.Status.REQUESTED)
    FundingAward.objects.create(chapter=chapter, amount=2500, purpose="Archive travel",
                                status=FundingAward.Status.APPROVED)
    OfficialAccess.objects.create(chapter=chapter, officials="DSCA Directorate of Strategy",
                                  status=OfficialAccess.Status.ARRANGED,
                                  requested_on=timezone.localdate() - dt.timedelta(days=20),
                                  meeting_on=timezone.localdate() + dt.timedelta(days=10))


def _session(call: Call, chapters: list[Chapter], editor) -> None:
    from django.contrib.auth import get_user_model

    from chapterhouse.progress.models import ReviewSession, Slot

    discussant = get_user_model().objects.filter(username="reviewer").first()
    start = timezone.now().replace(hour=13, minute=0, second=0, microsecond=0) + dt.timedelta(days=21)
    session = ReviewSession.objects.create(
        call=call, title="In-progress reviews", starts_at=start, ends_at=start + dt.timedelta(hours=3),
        place="Defense Security Cooperation University, Arlington, VA", video_link="https://meet.example.org/fms-reviews",
        event_name="FMS Symposium", chatham_house=True, drafts_due=(start - dt.timedelta(days=7)).date())
    for order, chapter in enumerate(chapters, start=1):
        author = chapter.authors.first()
        # The demo's reviewer (Riley Chen) discusses and its editor (Avery Morgan) chairs: accounts, not names.
        Slot.objects.create(session=session, chapter=chapter, order=order, presenter_user=author.user,
                            presenter=author.name, discussant_user=discussant, chair_user=editor,
                            feedback="Strong case; bring the 2023 figures forward." if order == 1 else "",
                            feedback_by=editor if order == 1 else None,
                            feedback_at=timezone.now() if order == 1 else None)
