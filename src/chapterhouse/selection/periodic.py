"""The worker sends decision letters on the call's notification date ("authors_notified")."""

from django.utils import timezone

from chapterhouse.outbox.periodic import every


@every(minutes=30)
def send_scheduled_decision_letters(now) -> None:
    from chapterhouse.selection.services import send_due_letters

    send_due_letters(timezone.localdate(now))
