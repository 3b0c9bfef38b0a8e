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


def notify(chapter: Chapter, template: str, context: dict, to: list[str], kind: str) -> None:
    """Queues one message about ``chapter``; call inside the transaction of the change it reports."""
    from chapterhouse.outbox.mail import queue_mail

    if to:
        queue_mail(template, {"chapter": chapter, "chapter_url": link("chapter", pk=chapter.pk), **context}, to,
                   about=chapter, kind=kind)
