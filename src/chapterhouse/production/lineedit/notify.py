"""Copyedit mail through the outbox: to the chapter's authors (stored addresses), production staff and, after
clearance, the security reviewers."""

from __future__ import annotations

from django.conf import settings

from chapterhouse.accounts.roles import PRODUCTION, SECURITY_REVIEWER
from chapterhouse.clearance.notify import addresses_of, chapter_addresses


def _queue(template: str, context: dict, to, about) -> None:
    from chapterhouse.outbox.mail import queue_mail

    to = sorted({a for a in to if a})
    if to:
        queue_mail(f"lineedit/email/{template}.txt", {**context, "base_url": settings.CHAPTERHOUSE_BASE_URL}, to,
                   about=about, kind=f"lineedit.{template}")


def copyedit_sent(round_, item) -> None:
    _queue("sent", {"round": round_, "item": item, "chapter": round_.chapter}, chapter_addresses(round_.chapter),
           round_)


def copyedit_answered(round_, answers: str) -> None:
    _queue("answered", {"round": round_, "chapter": round_.chapter, "answers": answers}, addresses_of(PRODUCTION),
           round_)


def copyedit_approved(round_) -> None:
    from chapterhouse.clearance.later_changes import cleared_request

    to = addresses_of(PRODUCTION)
    cleared = cleared_request(round_.chapter)
    if cleared is not None:
        to += addresses_of(SECURITY_REVIEWER)
    _queue("approved", {"round": round_, "chapter": round_.chapter, "cleared": cleared}, to, round_)
