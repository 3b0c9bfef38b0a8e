"""A person's private calendar: their chapters' deadlines and the review sessions they take part in, as
iCalendar for any calendar application to subscribe to."""

from __future__ import annotations

import secrets

from django.conf import settings

from chapterhouse.chapters.access import chapters_for
from chapterhouse.chapters.deadlines import deadlines
from chapterhouse.chapters.models import CalendarFeed


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
    from chapterhouse.call.calendar import sequence_since
    from chapterhouse.progress.calendar import calendar_event, new_calendar, session_events
    from chapterhouse.progress.visibility import sessions_for

    calendar = new_calendar("my deadlines", "chapterhouse: my deadlines")
    base = settings.CHAPTERHOUSE_BASE_URL.rstrip("/")
    for chapter in chapters_for(user).select_related("call").prefetch_related("extensions"):
        # A deadline moves when the call is loaded again or an extension is granted: the later of the two.
        sequence = sequence_since(chapter.call.loaded_at, *(e.granted_at for e in chapter.extensions.all()))
        for deadline in deadlines(chapter):
            calendar.add_component(calendar_event(
                f"chapter-{chapter.pk}-{deadline.kind}", f"{deadline.label}: {chapter.title}", deadline.due_on,
                description=f"Owed by the {deadline.owed_by}." + (" Extended." if deadline.extended else ""),
                url=base + chapter.get_absolute_url(), sequence=sequence))
    for session in sessions_for(user):
        for event in session_events(session):
            calendar.add_component(event)
    return calendar.to_ical()
