"""Who a chapter's mail goes to (always addresses read from stored rows) and the one call that queues it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from chapterhouse.accounts.roles import EDITOR
from chapterhouse.chapters.models import Chapter


def author_addresses(chapter: Chapter) -> list[str]:
    return list(dict.fromkeys(a.email for a in chapter.authors.all() if a.email))


def editor_addresses() -> list[str]:
    users = get_user_model().objects.filter(groups__name=EDITOR, is_active=True).exclude(email="")
    return list(dict.fromkeys(users.values_list("email", flat=True)))


def link(name: str, **kwargs) -> str:
    return settings.CHAPTERHOUSE_BASE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _not_joined(chapter: Chapter, to: list[str]) -> dict[str, object]:
    """The recipients who are co-authors without a joined account, by address: the chapter's page is closed to
    them, so their copy carries an invitation to join instead of links they cannot open."""
    wanted = set(to)
    return {author.email: author for author in chapter.authors.all()
            if author.user_id is None and author.email in wanted}


def notify(chapter: Chapter, template: str, context: dict, to: list[str], kind: str) -> None:
    """Queues one message about ``chapter``; call inside the transaction of the change it reports. Co-authors who
    have not joined get their own copy, with a link to join (``join_url``) and no ``chapter_url``."""
    from chapterhouse.chapters.coauthors import VALID_DAYS, InvitationProblem, join_link
    from chapterhouse.outbox.mail import queue_mail

    if not to:
        return
    outside = _not_joined(chapter, to)
    members = [address for address in to if address not in outside]
    if members:
        queue_mail(template, {"chapter": chapter, "chapter_url": link("chapter", pk=chapter.pk), **context}, members,
                   about=chapter, kind=kind)
    for address, author in outside.items():
        try:
            join_url = join_link(author)
        except InvitationProblem:
            join_url = None
        queue_mail(template, {"chapter": chapter, "chapter_url": None, "join_url": join_url, "join_days": VALID_DAYS,
                              **context}, [address], about=chapter, kind=kind)
