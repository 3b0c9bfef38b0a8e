"""A chapter's deadlines: the call's timeline, moved by an editor's extension or a revision round's date.

Each deadline says who owes the work, so reminders go to them and the board shows what waits on whom.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.states import REVISING, SUBMITTED, WRITING

AUTHOR, EDITORS = "author", "editors"
# kind → (label, who owes it, the state in which it is still owed)
DEADLINES = {
    "final_chapters_due": ("Final chapter due", AUTHOR, WRITING),
    "editor_feedback": ("Editors' feedback due", EDITORS, SUBMITTED),
    "revised_chapters_due": ("Revised chapter due", AUTHOR, REVISING),
}


@dataclass(frozen=True)
class Deadline:
    kind: str
    label: str
    due_on: dt.date
    owed_by: str
    owed_now: bool  # the chapter's state says this work is still to be done
    extended: bool = False

    def days_left(self, today: dt.date) -> int:
        return (self.due_on - today).days


def deadlines(chapter: Chapter) -> list[Deadline]:
    """The chapter's deadlines in date order; a kind the call's timeline lacks and nothing sets is left out."""
    timeline = {m.kind: m.date for m in chapter.call.definition.milestones}
    extensions = {e.kind: e for e in chapter.extensions.all()}  # ordered by time: the latest wins
    # From the rows in hand (the board prefetches every chapter's rounds), not a query per chapter.
    latest_round = max((r for r in chapter.rounds.all() if r.decision == "revise"), key=lambda r: r.number, default=None)
    found = []
    for kind, (label, owed_by, state) in DEADLINES.items():
        due, extended = timeline.get(kind), False
        if kind == "revised_chapters_due" and latest_round and latest_round.revised_due:
            due = latest_round.revised_due
        extension = extensions.get(kind)
        if extension and (kind != "revised_chapters_due" or not latest_round
                          or extension.granted_at >= latest_round.written_at):
            due, extended = extension.due_on, True
        if due is not None:
            found.append(Deadline(kind, label, due, owed_by, chapter.status == state, extended))
    return sorted(found, key=lambda d: d.due_on)


def current_deadline(chapter: Chapter) -> Deadline | None:
    return next((d for d in deadlines(chapter) if d.owed_now), None)


class DeadlineRefused(ValueError):
    """The date would not be an extension, or would put the author's work after the stage that needs it."""


# The milestone an author's work must come before: a chapter is read and revised before the revised chapters
# are due, and revised before the manuscript goes to the security review.
MUST_PRECEDE = {"final_chapters_due": "revised_chapters_due", "revised_chapters_due": "security_review_submission"}


def _milestones(chapter: Chapter) -> dict:
    return {m.kind: m for m in chapter.call.definition.milestones}


def _check_before_next_stage(chapter: Chapter, kind: str, due_on: dt.date, what: str) -> None:
    later = _milestones(chapter).get(MUST_PRECEDE.get(kind, ""))
    if later is not None and due_on >= later.date:
        raise DeadlineRefused(
            f"{what} on {due_on:%-d %B %Y} would come after “{later.label}” ({later.date:%-d %B %Y}), the stage that "
            f"needs it. Choose a date before {later.date:%-d %B %Y}, or move the call's timeline first.")


def check_extension(chapter: Chapter, kind: str, due_on: dt.date, today: dt.date) -> Deadline:
    """The deadline ``kind`` that an extension to ``due_on`` would move; raises DeadlineRefused saying why not."""
    current = {d.kind: d for d in deadlines(chapter)}.get(kind)
    label = DEADLINES[kind][0] if kind in DEADLINES else kind
    if current is None:
        raise DeadlineRefused(f"This chapter has no “{label}” deadline to extend.")
    if not current.owed_now:
        raise DeadlineRefused(f"“{label}” is not owed now: the chapter is past that stage, so there is nothing to extend.")
    if due_on <= current.due_on:
        raise DeadlineRefused(
            f"An extension moves a deadline later: “{label}” is {current.due_on:%-d %B %Y} now; choose a date after it.")
    if due_on <= today:
        raise DeadlineRefused(f"{due_on:%-d %B %Y} has passed; an extension gives the author time from today on.")
    _check_before_next_stage(chapter, kind, due_on, f"“{label}”")
    return current


def check_revision_due(chapter: Chapter, due_on: dt.date, today: dt.date) -> None:
    """A revision asked for today is due after today and before the security review needs the chapter."""
    if due_on <= today:
        raise DeadlineRefused(f"The revised chapter must be due after today ({today:%-d %B %Y}), the date of this "
                              f"feedback; {due_on:%-d %B %Y} is not.")
    _check_before_next_stage(chapter, "revised_chapters_due", due_on, "A revised chapter due")


def default_revision_due(chapter: Chapter, today: dt.date) -> dt.date | None:
    """What the feedback form offers: the call's date for revised chapters, when it is still ahead."""
    milestone = _milestones(chapter).get("revised_chapters_due")
    return milestone.date if milestone is not None and milestone.date > today else None


def days_late(chapter: Chapter, today: dt.date) -> int:
    """How many days after its deadline the author's work arrives if sent ``today`` (0: on time)."""
    owed = current_deadline(chapter)
    if owed is None or owed.owed_by != AUTHOR:
        return 0
    return max(0, (today - owed.due_on).days)


def extend(chapter: Chapter, kind: str, due_on: dt.date, reason: str, by, today: dt.date):
    """Grants an extension, records it in the history and tells the authors, in one transaction."""
    from django.db import transaction

    from chapterhouse.chapters.mail import author_addresses, notify
    from chapterhouse.chapters.models import DeadlineExtension
    from chapterhouse.workflow.transitions import record_event

    previous = check_extension(chapter, kind, due_on, today)
    with transaction.atomic():
        extension = DeadlineExtension.objects.create(chapter=chapter, kind=kind, due_on=due_on, reason=reason,
                                                     granted_by=by)
        record_event(chapter, by, f"Extended “{extension.get_kind_display()}” from {previous.due_on:%-d %B %Y} to "
                                  f"{due_on:%-d %B %Y}", reason)
        notify(chapter, "chapters/email/extension.txt", {"extension": extension, "previous": previous},
               author_addresses(chapter), "chapter-extension")
    return extension
