"""Duty days: weekdays that are not U.S. federal holidays, for the date a security review's answer is due.

The holidays are the ones 5 U.S.C. 6103 names, as a small rule table: a fixed date, or the nth (or last)
weekday of a month, with the year a holiday was first kept. A fixed-date holiday on a Saturday is observed the
Friday before, on a Sunday the Monday after (so New Year's Day 2022, a Saturday, is observed on 31 December
2021). Inauguration Day and holidays given by executive order are not in the table. Plain Python; no Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

MONDAY, THURSDAY = 0, 3
LAST = -1


@dataclass(frozen=True)
class Holiday:
    name: str
    month: int
    day: int = 0  # a fixed date; 0 when the holiday is the nth weekday of the month
    weekday: int = 0
    nth: int = 0  # 1..4, or LAST
    since: int = 1971  # the Uniform Monday Holiday Act's first year

    def date_in(self, year: int) -> dt.date | None:
        """The day the holiday is observed in ``year`` (which may fall in the year before), or None."""
        if year < self.since:
            return None
        if self.day:
            actual = dt.date(year, self.month, self.day)
            shift = {5: -1, 6: 1}.get(actual.weekday(), 0)
            return actual + dt.timedelta(days=shift)
        if self.nth == LAST:
            following = dt.date(year + (self.month == 12), self.month % 12 + 1, 1)
            last = following - dt.timedelta(days=1)
            return last - dt.timedelta(days=(last.weekday() - self.weekday) % 7)
        first = dt.date(year, self.month, 1)
        return first + dt.timedelta(days=(self.weekday - first.weekday()) % 7 + 7 * (self.nth - 1))


FEDERAL_HOLIDAYS = (
    Holiday("New Year's Day", 1, day=1),
    Holiday("Birthday of Martin Luther King, Jr.", 1, weekday=MONDAY, nth=3, since=1986),
    Holiday("Washington's Birthday", 2, weekday=MONDAY, nth=3),
    Holiday("Memorial Day", 5, weekday=MONDAY, nth=LAST),
    Holiday("Juneteenth National Independence Day", 6, day=19, since=2021),
    Holiday("Independence Day", 7, day=4),
    Holiday("Labor Day", 9, weekday=MONDAY, nth=1),
    Holiday("Columbus Day", 10, weekday=MONDAY, nth=2),
    Holiday("Veterans Day", 11, day=11),
    Holiday("Thanksgiving Day", 11, weekday=THURSDAY, nth=4),
    Holiday("Christmas Day", 12, day=25),
)


@lru_cache(maxsize=64)
def federal_holidays(year: int) -> dict[dt.date, str]:
    """Observed federal holidays that fall in ``year`` (a 1 January on Saturday moves into the year before)."""
    found = {}
    for holiday in FEDERAL_HOLIDAYS:
        for kept_in in (year, year + 1):
            day = holiday.date_in(kept_in)
            if day is not None and day.year == year:
                found[day] = holiday.name
    return dict(sorted(found.items()))


def is_duty_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def add_duty_days(start: dt.date, count: int) -> dt.date:
    """The ``count``-th duty day after ``start`` (the day of submission itself does not count)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    while count:
        day += dt.timedelta(days=1)
        count -= is_duty_day(day)
    return day


def duty_days_between(start: dt.date, end: dt.date) -> int:
    """Duty days after ``start`` up to and including ``end``; negative when ``end`` is before ``start``."""
    if end < start:
        return -duty_days_between(end, start)
    return sum(is_duty_day(start + dt.timedelta(days=n)) for n in range(1, (end - start).days + 1))
