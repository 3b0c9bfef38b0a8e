"""Review sessions as iCalendar events: one per session, with its slots in the description."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from icalendar import Calendar, Event

from chapterhouse.accounts.roles import EDITOR, roles_of
from chapterhouse.progress.models import ReviewSession

STAMP = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def sessions_for(user):
    """Editors see every session; others the sessions with a slot for one of their chapters."""
    if not getattr(user, "is_authenticated", False):
        return ReviewSession.objects.none()
    if EDITOR in roles_of(user):
        return ReviewSession.objects.all()
    return ReviewSession.objects.filter(slots__chapter__authors__user=user).distinct()


def session_events(session: ReviewSession) -> list[Event]:
    base = settings.CHAPTERHOUSE_BASE_URL.rstrip("/")
    event = Event()
    event.add("uid", f"review-session-{session.pk}@chapterhouse")
    event.add("summary", session.title + (f" ({session.event_name})" if session.event_name else ""))
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("dtstamp", STAMP)
    where = ", ".join(filter(None, [session.place, session.video_link]))
    if where:
        event.add("location", where)
    lines = [f"{slot.order}. {slot.chapter.title}: presenter {slot.presenter}"
             + (f", discussant {slot.discussant}" if slot.discussant else "")
             + (f", chair {slot.chair}" if slot.chair else "") for slot in session.slots.select_related("chapter")]
    if session.chatham_house:
        lines.append("The Chatham House rule applies.")
    if session.drafts_due:
        lines.append(f"Drafts circulate by {session.drafts_due:%-d %B %Y}.")
    event.add("description", "\n".join(lines))
    event.add("url", base + session.get_absolute_url())
    events = [event]
    if session.drafts_due:
        due = Event()
        due.add("uid", f"review-session-{session.pk}-drafts@chapterhouse")
        due.add("summary", f"Drafts due for {session.title}")
        due.add("dtstart", session.drafts_due)
        due.add("dtend", session.drafts_due + dt.timedelta(days=1))
        due.add("dtstamp", STAMP)
        events.append(due)
    return events


def session_calendar(session: ReviewSession) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//chapterhouse//review session//EN")
    calendar.add("version", "2.0")
    for event in session_events(session):
        calendar.add_component(event)
    return calendar.to_ical()
