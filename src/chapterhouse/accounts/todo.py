"""Everyone's next step: the "to do" list each person lands on, gathered from every stage.

Each stage knows what its own states ask of whom, so each says it in its own ``todo.py``::

    from chapterhouse.accounts.todo import Item, contributes

    @contributes(REVIEWER)
    def reviews_to_write(user, today):
        for assignment in ReviewAssignment.objects.filter(reviewer=user, status=ASSIGNED):
            yield Item("Review", f"Review {assignment.proposal.reference}", url, due=assignment.due_on)

A contributor is called only for people who hold its role and must itself yield only that person's own work
(an author's chapters, a reviewer's assignments): the list is built from the database, never from what a page
shows. Every installed app's ``todo`` module is imported once, the way Django's admin finds ``admin.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from django.utils.module_loading import autodiscover_modules

from chapterhouse.accounts.roles import roles_of


@dataclass(frozen=True)
class Item:
    """One thing a person is to do: where (``url``, the page where it is done) and by when (``due``)."""

    stage: str
    text: str
    url: str
    due: dt.date | None = None
    detail: str = ""

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


Contributor = Callable[[object, dt.date], Iterable[Item]]
CONTRIBUTORS: dict[str, list[Contributor]] = defaultdict(list)


def contributes(*roles: str) -> Callable[[Contributor], Contributor]:
    """Registers a function ``(user, today) -> items`` as a source of to-do items for people with ``roles``."""

    def register(contributor: Contributor) -> Contributor:
        for role in roles:
            if contributor not in CONTRIBUTORS[role]:
                CONTRIBUTORS[role].append(contributor)
        return contributor

    return register


@cache
def discover() -> None:
    autodiscover_modules("todo")


def _by_date(item: Item) -> tuple:
    return (item.due is None, item.due or dt.date.max, item.stage, item.text)


def items_for(user, role: str, today: dt.date) -> list[Item]:
    """What ``user`` has to do in ``role``, soonest first (items without a date last); nothing for a role they lack."""
    discover()
    if role not in roles_of(user):
        return []
    return sorted((item for contributor in CONTRIBUTORS[role] for item in contributor(user, today)), key=_by_date)


def calls_in_progress():
    """The calls whose volume is not launched yet: a launched book asks nothing more of anyone here."""
    from chapterhouse.call.models import Call

    return Call.objects.exclude(publication__status="launched").order_by("opens_on")


def milestone_dates(call) -> dict[str, dt.date]:
    """The call's milestones by kind, as stored (already moved when the call was loaded shifted)."""
    return dict(call.milestones.values_list("kind", "date"))
