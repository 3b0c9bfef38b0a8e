"""A person's private calendar: their chapters' deadlines and the review sessions they take part in, as
iCalendar for any calendar application to subscribe to."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from icalendar import Calendar, Event

from chapterhouse.chapters.access import chapters_for
from chapterhouse.chapters.deadlines import deadlines
from chapterhouse.chapters.models import CalendarFeed

STAMP = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def feed_for(user) -> CalendarFeed:
    feed, _ = CalendarFeed.objects.get_or_create(user=user, defaults={"token": secrets.token_urlsafe(32)})
    return feed


def regenerate(user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = feed_for(user)
    feed.token = secrets.token_urlsafe(32)
    feed.save(update_fields=["token", "created_at"])
    return feed


def user_calendar(user) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//chapterhouse//my deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "chapterhouse: my deadlines")
    base = settings.CHAPTERHOUSE_BASE_URL.rstrip("/")
    for chapter in chapters_for(user).select_related("call"):
        for deadline in deadlines(chapter):
            event = Event()
            event.add("uid", f"chapter-{chapter.pk}-{deadline.kind}@chapterhouse")
            event.add("summary", f"{deadline.label}: {chapter.title}")
            event.add("dtstart", deadline.due_on)
            event.add("dtend", deadline.due_on + dt.timedelta(days=1))
            event.add("dtstamp", STAMP)
            event.add("description", f"Owed by the {deadline.owed_by}." + (" Extended." if deadline.extended else ""))
            event.add("url", base + chapter.get_absolute_url())
            calendar.add_component(event)
    from chapterhouse.progress.calendar import session_events, sessions_for

    for session in sessions_for(user):
        for event in session_events(session):
            calendar.add_component(event)
    return calendar.to_ical()
