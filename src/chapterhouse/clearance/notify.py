"""Mail from the security review, through the outbox, to addresses already stored: chapter authors' e-mails
and the accounts of security reviewers and editors. Called inside the transaction that makes the change."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from chapterhouse.accounts.roles import EDITOR, SECURITY_REVIEWER


def _queue(template: str, context: dict, to, about) -> None:
    to = sorted({address for address in to if address})
    if to:
        _deliver(template, context, to, about)


def _deliver(template: str, context: dict, to: list[str], about) -> None:
    from chapterhouse.outbox.mail import queue_mail

    queue_mail(f"clearance/email/{template}.txt", {**context, "base_url": settings.CHAPTERHOUSE_BASE_URL}, to,
               about=about, kind=f"clearance.{template}")


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
