"""A reminder to every participant of a review session before its draft deadline, through the outbox.

Sent once per session, participant and deadline date (``DraftReminderSent``, written in the same transaction as
the mail): a moved deadline re-arms it. A reminder is due from ``DAYS_BEFORE`` days before the deadline up to the
deadline itself, so a worker that was down for a day still sends it, and never after the drafts were due."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from chapterhouse.progress.mail import session_context
from chapterhouse.progress.models import DraftReminderSent, ReviewSession

DAYS_BEFORE = 7


def sessions_due(today: dt.date):
    return ReviewSession.objects.filter(drafts_due__gte=today, drafts_due__lte=today + dt.timedelta(days=DAYS_BEFORE))


def send_draft_reminders(today: dt.date) -> list[DraftReminderSent]:
    """Sends every draft reminder due ``today`` that was not sent before; returns the new records."""
    sent = []
    for session in sessions_due(today):
        context = session_context(session)
        people = {p.pk: p for slot in context["slots"] for p in slot.participants()}
        for person in people.values():
            record = _send(session, person, context)
            if record is not None:
                sent.append(record)
    return sent


def _send(session: ReviewSession, person, context: dict) -> DraftReminderSent | None:
    from chapterhouse.outbox.mail import queue_mail

    if not person.email or DraftReminderSent.objects.filter(session=session, user=person,
                                                            drafts_due=session.drafts_due).exists():
        return None
    try:
        with transaction.atomic():
            record = DraftReminderSent.objects.create(session=session, user=person, drafts_due=session.drafts_due)
            queue_mail("progress/email/draft_reminder.txt", {**context, "person": person}, [person.email],
                       about=session, kind="review-session-draft-reminder")
    except IntegrityError:  # another worker sent it a moment ago
        return None
    return record
