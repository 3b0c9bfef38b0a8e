"""Reminders before and after each chapter deadline, to whoever owes the work, through the outbox.

The call file sets the offsets (``[reminders]``: days before, days after, catch-up days). Each reminder is
sent once per chapter, deadline (with its date: an extension re-arms it) and offset, recorded in
``ReminderSent`` in the same transaction as its mail. A reminder whose day passed while the worker was down
is still sent within ``catch_up_days``, unless a later reminder for the same deadline is already due (an
author gets "due in 3 days", not also a stale "due in 14 days").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from chapterhouse.chapters.deadlines import AUTHOR, Deadline, deadlines
from chapterhouse.chapters.mail import author_addresses, editor_addresses, notify
from chapterhouse.chapters.models import Chapter, ReminderSent
from chapterhouse.chapters.states import FINAL, WITHDRAWN


@dataclass(frozen=True)
class Due:
    chapter: Chapter
    deadline: Deadline
    offset: int  # days: negative before the deadline, positive after

    @property
    def send_on(self) -> dt.date:
        return self.deadline.due_on + dt.timedelta(days=self.offset)


def offsets(rules) -> list[int]:
    return sorted({-d for d in rules.days_before} | set(rules.days_after))


def due_reminders(chapter: Chapter, today: dt.date) -> list[Due]:
    rules = chapter.call.definition.reminders
    found = []
    for deadline in deadlines(chapter):
        if not deadline.owed_now:
            continue
        schedule = [Due(chapter, deadline, offset) for offset in offsets(rules)]
        passed = [due for due in schedule if due.send_on <= today]
        if passed:
            latest = passed[-1]  # the most recent reminder day; earlier ones are superseded by it
            if (today - latest.send_on).days <= rules.catch_up_days:
                found.append(latest)
    return found


def send_due_reminders(today: dt.date) -> list[ReminderSent]:
    """Sends every reminder due ``today`` (or missed within the catch-up window) that was not sent before."""
    sent = []
    chapters = Chapter.objects.exclude(status__in=[FINAL, WITHDRAWN]).select_related("call").prefetch_related("authors")
    for chapter in chapters:
        for due in due_reminders(chapter, today):
            record = _send(due, today)
            if record is not None:
                sent.append(record)
    return sent


def _send(due: Due, today: dt.date) -> ReminderSent | None:
    deadline = due.deadline
    if ReminderSent.objects.filter(chapter=due.chapter, deadline=deadline.kind, due_on=deadline.due_on,
                                   offset_days=due.offset).exists():
        return None
    to = author_addresses(due.chapter) if deadline.owed_by == AUTHOR else editor_addresses()
    try:
        with transaction.atomic():
            record = ReminderSent.objects.create(chapter=due.chapter, deadline=deadline.kind, due_on=deadline.due_on,
                                                 offset_days=due.offset, sent_on=today, recipients=", ".join(to))
            notify(due.chapter, "chapters/email/reminder.txt",
                   {"deadline": deadline, "days": abs(due.offset), "before": due.offset < 0}, to, "chapter-reminder")
    except IntegrityError:  # another worker sent it a moment ago
        return None
    return record
