"""The demo is one story: the same ordered steps, each keyed to a milestone of the call's own timeline and each
going through the services the pages use, run on every demo call up to the milestone its clock has reached
(``run_story(call, until=...)``). So no demo object can be in a state its call's clock has not reached, and the
demo cannot show what the workflow could not reach.

The demo's calls, each with its cast (who proposes what, which proposals become chapters, how far each goes):

- the default call (calls/dscu-fms-2024.toml), moved so that its proposals opened two weeks ago and are open
  today: proposals sent through the public form, one screened out and declined on the desk, the others with
  reviewers (the workflow lets reviews start before the deadline), one review in;
- a call in its chapter stage (calls/dscu-sc-cases-2025.toml), moved so that today is ten days after its final
  chapters were due: chapters in every state, feedback rounds, the in-progress review session held on its date
  and a feedback workshop ahead on the editors' feedback date, copyedits of the chapters accepted as final and the DOPSR request being prepared. A third call, because one
  call cannot both take proposals today and be past its final chapters;
- a past volume (calls/dscu-sc-workforce-2023.toml, its dates as filed, all past) carried to its launch.

Every date the demo moves is moved together: ``install_call`` shifts the milestones and the launch event by the
same days; the session, due dates and clearance dates come from the shifted milestones.

Idempotent: every step finds what an earlier run made and adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from chapterhouse.call.loading import install_call_file
from chapterhouse.call.models import Call
from chapterhouse.call.schema import load_call
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.start import start_chapter
from chapterhouse.site.demo import chapters, launch, proposals
from chapterhouse.site.demo.accounts import DEMO_PASSWORD, DemoAccount, print_logins, seed_accounts
from chapterhouse.site.demo.copyedits import seed_copyedits
from chapterhouse.site.demo.review import reviews_under_way, seed_reviewers

__all__ = ["DEMO_CALLS", "STORY", "print_logins", "reached", "run_story", "seed_demo"]

Proposal = tuple[dict, str, str, str, str]  # (author, title, theme slug, abstract, keywords)


@dataclass(frozen=True)
class Cast:
    """What one demo call's story holds; the steps are the same for every call."""
    under_review: Callable[[], list[Proposal]] = list  # proposals left with the reviewers
    screened_out: list = field(default_factory=list)  # (author, title, theme, abstract, keywords, the desk's reason)
    chapters: Callable[[], list[Proposal]] = list  # proposals accepted, each becoming a chapter
    bring: Callable | None = None  # (chapter, number, editor): its versions and rounds by final_chapters_due
    reviewed: bool = False  # reviewers assigned by the solver, one review in
    copyedits: bool = False  # copyedits sent for the chapters accepted as final


@dataclass(frozen=True)
class People:
    editor: object
    security: object
    base_url: str


@dataclass(frozen=True)
class Step:
    milestone: str  # the call's milestone (its timeline's own name) from which this step may happen
    does: str
    run: Callable[[Call, Cast, People], object]


# -- the steps ------------------------------------------------------------------------------------------------

def _send_proposals(call: Call, cast: Cast, people: People) -> None:
    for author, title, theme, abstract, keywords in [*cast.under_review(), *cast.chapters(),
                                                     *(entry[:5] for entry in cast.screened_out)]:
        proposals.submitted_proposal(call, title, theme, author, abstract, keywords, people.base_url)


def _desk_decisions(call: Call, cast: Cast, people: People) -> None:
    for _author, title, _theme, _abstract, _keywords, reason in cast.screened_out:
        proposals.decline_without_review(call.proposals.get(title=title), people.editor, reason)


def _reviews(call: Call, cast: Cast, people: People) -> None:
    if cast.reviewed:
        reviews_under_way(call)


def _chapters_started(call: Call, cast: Cast, people: People) -> None:
    for _author, title, *_rest in cast.chapters():
        start_chapter(proposals.accept_as_editors_do(call.proposals.get(title=title), people.editor), people.editor)


def _story_chapters(call: Call, cast: Cast) -> list[Chapter]:
    titles = [title for _author, title, *_rest in cast.chapters()]
    found = {chapter.title: chapter for chapter in call.chapters.filter(title__in=titles)}
    return [found[title] for title in titles if title in found]


def _session(call: Call, cast: Cast, people: People) -> None:
    chapters.sessions(call, _story_chapters(call, cast)[:2], people.editor)


def _chapters_brought(call: Call, cast: Cast, people: People) -> None:
    if cast.bring is not None:
        for number, chapter in enumerate(_story_chapters(call, cast), start=1):
            cast.bring(chapter, number, people.editor)


def _copyedits(call: Call, cast: Cast, people: People) -> None:
    if cast.copyedits:
        seed_copyedits(call)


def _clearance_prepared(call: Call, cast: Cast, people: People) -> None:
    if call.chapters.filter(status="final").exists():
        launch.prepare_clearance(call, people.editor)


STORY = [
    Step("proposals_open", "proposals sent through the public form", _send_proposals),
    Step("proposals_open", "the desk declines a proposal screened out", _desk_decisions),
    Step("proposals_open", "reviewers assigned, one review in", _reviews),
    Step("authors_notified", "proposals accepted, letters sent, chapters started", _chapters_started),
    Step("progress_reviews", "the in-progress review session held, a feedback workshop ahead", _session),
    Step("final_chapters_due", "chapters sent, read, revised, accepted or withdrawn", _chapters_brought),
    Step("final_chapters_due", "copyedits of the chapters accepted as final", _copyedits),
    Step("final_chapters_due", "the DOPSR request prepared", _clearance_prepared),
    Step("security_review_submission", "the DOPSR request submitted and answered",
         lambda call, cast, people: launch.answer_clearance(call, people.editor, people.security)),
    Step("line_editing_galleys", "the cover and the first galleys",
         lambda call, cast, people: launch.cover_and_galleys(call, people.editor)),
    Step("galley_proofs", "the proof round", lambda call, cast, people: launch.proofs(call, people.editor, people.security)),
    Step("launch", "the launch", lambda call, cast, people: launch.launch(call, people.editor)),
]

# The demo's calls: call file → (how the demo moves its dates: (milestone, days after it today) or None to keep
# them, its cast). The default call is moved by ``setup_site`` (proposals opened two weeks ago).
DEMO_CALLS: dict[str, tuple[tuple[str, int] | None, Cast]] = {
    "dscu-fms-2024.toml": (None, Cast(under_review=proposals.sample_authors, screened_out=proposals.SCREENED_OUT,
                                      reviewed=True)),
    chapters.CHAPTER_CALL_FILE: (("final_chapters_due", chapters.DAYS_AFTER_FINAL_CHAPTERS_DUE),
                                 Cast(chapters=chapters.chapter_proposals, bring=chapters.bring_chapter,
                                      copyedits=True)),
    launch.PAST_CALL_FILE: (None, Cast(chapters=launch.past_chapter_proposals, bring=launch.bring_past_chapter)),
}


def reached(call: Call, today: dt.date | None = None) -> str | None:
    """The last milestone of ``call`` its clock has reached today (None before its proposals open)."""
    today = today or timezone.localdate()
    past = [m for m in call.definition.milestones if m.date <= today]
    return max(past, key=lambda m: m.date).kind if past else None


def run_story(call: Call, until: str | None = None, *, cast: Cast | None = None, base_url: str = "") -> None:
    """Runs the story's steps on ``call`` in order, up to and including those of milestone ``until`` (by default
    the milestone its clock has reached); a step whose milestone the call lacks is not part of its story.
    Refuses a point the call's clock has not reached."""
    definition = call.definition
    until = until or reached(call)
    if until is None:
        return
    end = definition.milestone(until)
    if end is None or end.date > timezone.localdate():
        raise ValueError(f"{call.slug}: the clock has not reached “{until}”.")
    cast = cast or cast_of(call)
    users = get_user_model().objects
    people = People(users.get(username="editor"), users.get(username="security"),
                    base_url or settings.CHAPTERHOUSE_BASE_URL)
    for step in STORY:
        milestone = definition.milestone(step.milestone)
        if milestone is not None and milestone.date <= end.date:
            step.run(call, cast, people)


def cast_of(call: Call) -> Cast:
    return next((cast for name, (_moved, cast) in DEMO_CALLS.items() if name.removesuffix(".toml") == call.slug),
                Cast())


def demo_call(name: str, today: dt.date | None = None) -> Call:
    """The demo call of file ``name`` (in the default call's folder), installed with its dates moved on first run."""
    path = Path(settings.CHAPTERHOUSE_DEFAULT_CALL).parent / name
    slug = name.removesuffix(".toml")
    existing = Call.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    moved, _cast = DEMO_CALLS[name]
    shift = 0
    if moved is not None:
        kind, days = moved
        shift = ((today or timezone.localdate()) - dt.timedelta(days=days) - load_call(path).milestone(kind).date).days
    return install_call_file(path, shift_days=shift)


def seed_demo(call: Call, base_url: str) -> list[DemoAccount]:
    """Seeds the demo: the default ``call`` (brought to today) and the other demo calls, each run to the point its
    clock has reached; returns the accounts to print."""
    accounts = seed_accounts()
    extra = seed_reviewers(DEMO_PASSWORD)
    run_story(call, base_url=base_url)
    for name in DEMO_CALLS:
        if name.removesuffix(".toml") != call.slug:
            run_story(demo_call(name), base_url=base_url)
    return accounts + extra
