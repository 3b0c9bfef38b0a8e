"""Helpers for replaying a call's timeline in a browser: the clock moved to each milestone (the live server runs
in this process, so time-machine moves its clock too) and mail read from the outbox as its recipient reads it."""

from __future__ import annotations

import datetime as dt
import re
import urllib.error
import urllib.request
from urllib.parse import urlsplit

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


def page_kind(url: str) -> str:
    """The URL pattern a page's path resolves to (``my/chapters/<int:pk>/``), or the path when none does."""
    from django.urls import Resolver404, resolve

    path = urlsplit(url).path
    try:
        return resolve(path).route
    except Resolver404:
        return path


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect comes back as its own status


def shown_again(url: str, storage_state) -> bool:
    """Whether a GET with the cookies a page was seen with shows it again (200, no redirect): the pages the 390 px
    check can audit. Asked over plain HTTP, without a browser: most pages of a replay were seen by someone who has
    logged out since, and their session is gone."""
    cookies = "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in storage_state["cookies"])
    request = urllib.request.Request(url, headers={"Cookie": cookies} if cookies else {})
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=60) as response:
            return response.status == 200
    except urllib.error.HTTPError as error:
        error.close()
        return False


def phone_check_each_kind_once(check):
    """``check`` (the browser tests' 390 px re-check of a visited page) run once per page kind: a replay visits the
    same kinds of page many times (eleven receipts, every chapter's page), and auditing one of each keeps the
    standard, axe and no sideways scroll on every kind of page seen. A kind whose visit cannot be shown again is
    tried at its next visit."""
    audited: set[str] = set()

    def once(browser, base_url: str, url: str, storage_state) -> list[str]:
        kind = page_kind(url)
        if kind in audited or not shown_again(url, storage_state):
            return []
        audited.add(kind)
        return check(browser, base_url, url, storage_state)

    return once
