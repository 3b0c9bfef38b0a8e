"""Mail from the security review, through the outbox, to addresses already stored: chapter authors' e-mails
and the accounts of security reviewers and editors. Called inside the transaction that makes the change."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from chapterhouse.accounts.roles import EDITOR, SECURITY_REVIEWER


def mailer(app: str):
    """``queue(name, context, to, about)`` for an app's mail: the template ``<app>/email/<name>.txt``, the kind
    ``<app>.<name>``, the site's address in the context, each stored address once; nothing when none is left."""

    def queue(name: str, context: dict, to, about) -> None:
        from chapterhouse.outbox.mail import queue_mail

        addresses = sorted({address for address in to if address})
        if addresses:
            queue_mail(f"{app}/email/{name}.txt", {**context, "base_url": settings.CHAPTERHOUSE_BASE_URL}, addresses,
                       about=about, kind=f"{app}.{name}")

    return queue


_queue = mailer("clearance")


def addresses_of(role: str) -> list[str]:
    return list(get_user_model().objects.filter(groups__name=role, is_active=True).values_list("email", flat=True))


def chapter_addresses(chapter) -> list[str]:
    return [a.email for a in chapter.authors.all()]


def submitted(request) -> None:
    _queue("submitted", {"request": request}, addresses_of(SECURITY_REVIEWER) + addresses_of(EDITOR), request)


def answered(request, why: str) -> None:
    _queue("answered", {"request": request, "why": why}, addresses_of(EDITOR), request)


def amendment_recorded(amendment) -> None:
    _queue("amendment_recorded", {"amendment": amendment, "chapter": amendment.chapter},
           chapter_addresses(amendment.chapter), amendment)


def amended_version_uploaded(amended) -> None:
    _queue("amended_uploaded", {"amended": amended, "chapter": amended.chapter}, addresses_of(SECURITY_REVIEWER),
           amended.request)


def amendment_answered(amendment, why: str) -> None:
    _queue("amendment_answered", {"amendment": amendment, "chapter": amendment.chapter, "why": why},
           chapter_addresses(amendment.chapter), amendment)


def overdue(request) -> None:
    _queue("overdue", {"request": request}, addresses_of(EDITOR), request)
