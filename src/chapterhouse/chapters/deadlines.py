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
