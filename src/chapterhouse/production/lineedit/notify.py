"""Copyedit mail through the outbox: to the chapter's authors (stored addresses), production staff and, after
clearance, the security reviewers."""

from __future__ import annotations

from chapterhouse.accounts.roles import PRODUCTION, SECURITY_REVIEWER
from chapterhouse.clearance.notify import addresses_of, chapter_addresses, mailer


_queue = mailer("lineedit")


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
