"""The call's timeline as an iCalendar file, so authors and editors can put the deadlines in their calendars.

Each event carries DTSTAMP (when the file was made) and a SEQUENCE that grows whenever the call is loaded again
(its dates may have moved), so calendar applications update the copy they hold."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from chapterhouse.call.schema import CallDefinition


# Derived sequences count minutes since this instant: small numbers that grow with every later change.
SEQUENCE_EPOCH = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def sequence_since(*changed_at: dt.datetime | None) -> int:
    """A SEQUENCE for an event with no stored revision: minutes from the epoch to its latest change."""
    latest = max((moment for moment in changed_at if moment is not None), default=SEQUENCE_EPOCH)
    return max(0, int((latest - SEQUENCE_EPOCH).total_seconds() // 60))


def call_calendar(definition: CallDefinition, url: str = "", loaded_at: dt.datetime | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//chapterhouse//call timeline//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{definition.title}: timeline")
    for milestone in definition.milestones:
        event = Event()
        event.add("uid", f"{definition.slug}-{milestone.kind}@chapterhouse")
        # A month-precision milestone ("March 2027") is the whole month, from its first day, and says so in its
        # title: never a false day (a call moved by a number of days puts it mid-month otherwise).
        if milestone.precision == "month":
            first = milestone.date.replace(day=1)
            following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            event.add("summary", f"{milestone.label} ({first:%B %Y})")
            event.add("dtstart", first)
            event.add("dtend", following)
        else:
            event.add("summary", milestone.label)
            event.add("dtstart", milestone.date)
            event.add("dtend", milestone.date + dt.timedelta(days=1))
        event.add("dtstamp", dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
        event.add("sequence", sequence_since(loaded_at))
        if milestone.note:
            event.add("description", milestone.note)
        if url:
            event.add("url", url)
        calendar.add_component(event)
    return calendar.to_ical()
