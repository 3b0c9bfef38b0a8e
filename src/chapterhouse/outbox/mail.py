"""Queueing mail: the one way chapterhouse sends e-mail.

``queue_mail`` renders the message now (so it says what was true when the change was made) and stores one
``Message`` row per recipient inside the caller's transaction: if the change rolls back, no mail exists; if it
commits, the mail cannot be lost. Delivery is the worker's job (``deliver``), with retries and backoff.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from chapterhouse.outbox.models import Message

log = logging.getLogger(__name__)

# Minutes to wait before each retry; after the last one the message is marked failed for editors to resend.
BACKOFF_MINUTES = (1, 5, 30, 120, 720)
# A claim older than this belongs to a worker that died mid-send; the message goes back to the queue.
STALE_CLAIM = timedelta(minutes=10)


class NotInTransaction(RuntimeError):
    """queue_mail was called outside transaction.atomic(): the mail could outlive or miss its cause."""


def render_message(template: str, context: dict) -> tuple[str, str]:
    """A template's first line is the subject, the rest the body; the subject is kept to one line."""
    text = render_to_string(template, context).strip()
    subject, _, body = text.partition("\n")
    return " ".join(subject.split())[:300], body.strip() + "\n"


def queue_mail(template: str, context: dict, to: Iterable[str], *, about: models.Model | None = None,
               kind: str = "") -> list[Message]:
    """Stores one message per distinct recipient in the current transaction; the worker sends them."""
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransaction("queue_mail must run inside the transaction that makes the change it reports.")
    subject, body = render_message(template, context)
    about_fields = {}
    if about is not None:
        about_fields = {"about_type": ContentType.objects.get_for_model(about), "about_id": about.pk}
    now = timezone.now()
    recipients = list(dict.fromkeys(address for address in to if address))
    messages = [
        Message.objects.create(to=address, subject=subject, body=body, kind=kind or template,
                               next_attempt_at=now, **about_fields)
        for address in recipients
    ]
    for message in messages:
        schedule_delivery(message.pk)
    return messages


def schedule_delivery(message_id: int, run_after=None) -> None:
    """Hands the message to the task backend once the transaction commits."""
    from chapterhouse.outbox.tasks import deliver_message

    if run_after and not deliver_message.get_backend().supports_defer:
        return  # a backend that cannot wait (tests' immediate one): the periodic sweep delivers it when due

    def enqueue():
        task = deliver_message.using(run_after=run_after) if run_after else deliver_message
        try:
            task.enqueue(message_id)
        except Exception:  # the row is safe; the worker's sweep will pick it up
            log.exception("Could not enqueue delivery of message %s; the sweep will retry it", message_id)

    transaction.on_commit(enqueue, robust=True)


def _claim(message_id: int) -> Message | None:
    """Marks a due message as being sent by this worker; None if it is not due or someone else has it."""
    now = timezone.now()
    claimable = Message.objects.filter(
        pk=message_id,
        state__in=[Message.State.PENDING, Message.State.RETRYING],
        next_attempt_at__lte=now,
    )
    with transaction.atomic():
        if claimable.update(state=Message.State.SENDING, claimed_at=now) != 1:
            return None
        return Message.objects.get(pk=message_id)


def deliver(message_id: int) -> str:
    """Sends one message if it is due and unclaimed; returns the state it is left in."""
    message = _claim(message_id)
    if message is None:
        state = Message.objects.filter(pk=message_id).values_list("state", flat=True).first()
        return state or "missing"
    try:
        EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to]).send()
    except Exception as error:  # any failure of the mail system: keep the message and try again later
        return _record_failure(message, error)
    Message.objects.filter(pk=message.pk).update(
        state=Message.State.SENT, sent_at=timezone.now(), attempts=message.attempts + 1, last_error="", claimed_at=None
    )
    return Message.State.SENT


def _record_failure(message: Message, error: Exception) -> str:
    attempts = message.attempts + 1
    detail = f"{type(error).__name__}: {error}"[:2000]
    if attempts > len(BACKOFF_MINUTES):
        log.error("Giving up on message %s to %s after %s attempts: %s", message.pk, message.to, attempts, detail)
        Message.objects.filter(pk=message.pk).update(
            state=Message.State.FAILED, attempts=attempts, last_error=detail, claimed_at=None)
        return Message.State.FAILED
    retry_at = timezone.now() + timedelta(minutes=BACKOFF_MINUTES[attempts - 1])
    log.warning("Message %s to %s not sent (attempt %s), retrying at %s: %s",
                message.pk, message.to, attempts, retry_at.isoformat(), detail)
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(
            state=Message.State.RETRYING, attempts=attempts, last_error=detail, next_attempt_at=retry_at,
            claimed_at=None)
        schedule_delivery(message.pk, run_after=retry_at)
    return Message.State.RETRYING


def sweep(now=None) -> int:
    """Re-queues what no task will deliver: due messages whose task was lost, and claims of dead workers.

    Runs periodically on the worker. Queueing twice is harmless: delivery claims a message before sending.
    """
    now = now or timezone.now()
    with transaction.atomic():
        Message.objects.filter(state=Message.State.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
            state=Message.State.RETRYING, claimed_at=None, next_attempt_at=now)
        due = list(Message.objects.filter(
            state__in=[Message.State.PENDING, Message.State.RETRYING],
            next_attempt_at__lte=now - timedelta(minutes=1),
        ).values_list("pk", flat=True)[:500])
        for message_id in due:
            schedule_delivery(message_id)
    return len(due)


def resend(message: Message) -> Message:
    """A fresh copy of a message (sent or failed) to the same stored address, queued now."""
    with transaction.atomic():
        copy = Message.objects.create(
            to=message.to, subject=message.subject, body=message.body, kind=message.kind,
            about_type=message.about_type, about_id=message.about_id, next_attempt_at=timezone.now(),
            resend_of=message,
        )
        schedule_delivery(copy.pk)
    return copy


def messages_about(obj: models.Model):
    return Message.objects.filter(about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk)
