"""Review sessions as iCalendar events: one per session, with its slots in the description.

Every event carries DTSTAMP (when the file was made) and SEQUENCE (the revision of the event, which grows when
it changes) so calendar applications replace the copy they hold instead of keeping the old one."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event


from chapterhouse.progress.models import ReviewSession



def new_calendar(prodid: str, name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//chapterhouse//{prodid}//EN")
    calendar.add("version", "2.0")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def calendar_event(uid: str, summary: str, start, end=None, *, sequence: int = 0, **fields) -> Event:
    """An event; a date without an end is an all-day event. ``fields``: description, location, url."""
    event = Event()
    event.add("uid", f"{uid}@chapterhouse")
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end if end is not None else start + dt.timedelta(days=1))
    event.add("dtstamp", timezone.now().replace(microsecond=0))
    event.add("sequence", sequence)
    for name, value in fields.items():
        if value:
            event.add(name, value)
    return event


def session_events(session: ReviewSession) -> list[Event]:
    base = settings.CHAPTERHOUSE_BASE_URL.rstrip("/")
    slots = session.slots.select_related("chapter", "presenter_user", "discussant_user", "chair_user")
    lines = [f"{slot.order}. {slot.chapter.title}: presenter {slot.presenter_name}"
             + (f", discussant {slot.discussant_name}" if slot.discussant_name else "")
             + (f", chair {slot.chair_name}" if slot.chair_name else "") for slot in slots]
    if session.chatham_house:
        lines.append("The Chatham House rule applies.")
    if session.drafts_due:
        lines.append(f"Drafts circulate by {session.drafts_due:%-d %B %Y}.")
    events = [calendar_event(f"review-session-{session.pk}",
                             session.title + (f" ({session.event_name})" if session.event_name else ""),
                             session.starts_at, session.ends_at, description="\n".join(lines),
                             location=", ".join(filter(None, [session.place, session.video_link])),
                             url=base + session.get_absolute_url(), sequence=session.sequence)]
    if session.drafts_due:
        events.append(calendar_event(f"review-session-{session.pk}-drafts", f"Drafts due for {session.title}",
                                     session.drafts_due, sequence=session.sequence))
    return events


def session_calendar(session: ReviewSession) -> bytes:
    calendar = new_calendar("review session")
    for event in session_events(session):
        calendar.add_component(event)
    return calendar.to_ical()
