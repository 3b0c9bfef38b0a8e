"""Where each milestone of a call sits on a drawn timeline, and which one comes next. Plain Python; no Django.

The call page draws the timeline as an SVG picture with today marked; this module does the arithmetic so the
template only places shapes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

SHORT_LABELS = {
    "proposals_open": "Proposals open",
    "proposals_close": "Proposals close",
    "authors_notified": "Authors notified",
    "progress_reviews": "Progress reviews",
    "final_chapters_due": "Final chapters due",
    "editor_feedback": "Editors' feedback",
    "revised_chapters_due": "Revisions due",
    "security_review_submission": "Security review",
    "line_editing_galleys": "Line edit & galleys",
    "galley_proofs": "Galley proofs",
    "launch": "Book launch",
}

WIDTH, AXIS_Y, MARGIN = 1000, 130, 60
LABEL_ROWS = (36, 72, 190, 226)  # label baselines, alternating above and below the axis


def format_date(date: dt.date, precision: str = "day") -> str:
    return f"{date:%B %Y}" if precision == "month" else f"{date.day} {date:%B %Y}"


@dataclass(frozen=True)
class PlacedMilestone:
    kind: str
    label: str
    short_label: str
    note: str
    date: dt.date
    when: str
    x: float
    label_y: int
    above: bool
    state: str  # "past", "next" or "future"


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class TimelinePicture:
    milestones: tuple[PlacedMilestone, ...]
    ticks: tuple[Tick, ...]
    today: dt.date
    today_x: float | None
    width: int = WIDTH
    axis_y: int = AXIS_Y

    @property
    def next_milestone(self) -> PlacedMilestone | None:
        return next((m for m in self.milestones if m.state == "next"), None)


def place(milestones: Sequence, today: dt.date) -> TimelinePicture:
    """``milestones`` need ``kind``, ``label``, ``date``, ``precision`` and ``note`` attributes, in date order."""
    ordered = sorted(milestones, key=lambda m: m.date)
    start, end = ordered[0].date, ordered[-1].date
    span = max((end - start).days, 1)

    def x_of(day: dt.date) -> float:
        return round(MARGIN + (WIDTH - 2 * MARGIN) * (day - start).days / span, 1)

    upcoming = next((m for m in ordered if m.date >= today), None)
    placed = tuple(
        PlacedMilestone(
            kind=m.kind,
            label=m.label,
            short_label=SHORT_LABELS.get(m.kind, m.label),
            note=m.note,
            date=m.date,
            when=format_date(m.date, m.precision),
            x=x_of(m.date),
            label_y=LABEL_ROWS[i % len(LABEL_ROWS)],
            above=LABEL_ROWS[i % len(LABEL_ROWS)] < AXIS_Y,
            state="past" if m.date < today else ("next" if m is upcoming else "future"),
        )
        for i, m in enumerate(ordered)
    )
    today_x = x_of(today) if start <= today <= end else None
    return TimelinePicture(placed, tuple(_month_ticks(start, end, x_of)), today, today_x)


def _month_ticks(start: dt.date, end: dt.date, x_of) -> list[Tick]:
    months = (end.year - start.year) * 12 + end.month - start.month
    step = 1 if months <= 12 else 3 if months <= 36 else 6
    ticks, day = [], dt.date(start.year, start.month, 1)
    while day <= end:
        if day >= start and (day.month - 1) % step == 0:
            ticks.append(Tick(x_of(day), f"{day:%b}" if day.month != 1 else f"{day:%b %Y}"))
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return ticks


# The milestones at which an accepted author owes or receives something, in the call's vocabulary.
AUTHOR_MILESTONES = ("progress_reviews", "final_chapters_due", "revised_chapters_due", "galley_proofs", "launch")


def next_for_author(milestones: Sequence, after: dt.date):
    """The first milestone after ``after`` at which an accepted author has something to do: what an acceptance
    letter and the author's pages call "next" (never the notification that has just happened)."""
    ahead = sorted((m for m in milestones if m.kind in AUTHOR_MILESTONES and m.date > after), key=lambda m: m.date)
    return ahead[0] if ahead else None
