"""The outbox's one background task: deliver a message (django-tasks; the database backend in production)."""

from django_tasks import task

from chapterhouse.outbox import mail


@task()
def deliver_message(message_id: int) -> str:
    return mail.deliver(message_id)
