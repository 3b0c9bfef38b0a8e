"""Helpers for replaying a call's timeline in a browser: the clock moved to each milestone (the live server runs
in this process, so time-machine moves its clock too) and mail read from the outbox as its recipient reads it."""

from __future__ import annotations

import datetime as dt
import re

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Clock:
    """The site's clock, moved forward only (the browser keeps the real time: cookies set at a later server time
    stay valid for it) and ticking, so every record still gets its own moment."""

    def __init__(self, traveller, call):
        self.traveller, self.call = traveller, call
        self.visited: list[str] = []  # the milestones the clock was moved to, in order

    def date_of(self, kind: str) -> dt.date:
        return self.call.definition.milestone(kind).date

    def to(self, day: dt.date, hour: int = 14) -> None:
        self.traveller.move_to(dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.timezone.utc), tick=True)

    def to_milestone(self, kind: str, days: int = 0, hour: int = 14) -> dt.date:
        day = self.date_of(kind) + dt.timedelta(days=days)
        if kind not in self.visited:
            self.visited.append(kind)
        self.to(day, hour)
        return day


def mail_to(address: str, subject_contains: str = ""):
    """The latest message queued in the outbox for ``address`` whose subject holds ``subject_contains``."""
    from chapterhouse.outbox.models import Message

    found = Message.objects.filter(to=address, subject__contains=subject_contains).order_by("-pk").first()
    assert found is not None, f"no mail to {address} about “{subject_contains}” in the outbox"
    return found


def link_in(body: str, path_pattern: str) -> str:
    """The path of the first link in a mail body whose path matches ``path_pattern`` (a regular expression)."""
    match = re.search(r"https?://[^/\s]+(" + path_pattern + r")", body)
    assert match, f"no link matching {path_pattern} in:\n{body}"
    return match.group(1)


def upload_docx(page, selector: str, name: str, data: bytes) -> None:
    page.set_input_files(selector, {"name": name, "mimeType": DOCX, "buffer": data})
