"""The call's timeline as an iCalendar file, so authors and editors can put the deadlines in their calendars."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from chapterhouse.call.schema import CallDefinition


def call_calendar(definition: CallDefinition, url: str = "") -> bytes:
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
        event.add("dtstamp", dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
        if milestone.note:
            event.add("description", milestone.note)
        if url:
            event.add("url", url)
        calendar.add_component(event)
    return calendar.to_ical()
