"""Jobs the worker runs on a schedule (see ``chapterhouse.outbox.periodic``). Each is idempotent."""

from django.utils import timezone

from chapterhouse.chapters.reminders import send_due_reminders
from chapterhouse.outbox.periodic import every


@every(minutes=60)
def chapter_reminders(now) -> str:
    """Hourly, so a reminder goes early on its day; ``ReminderSent`` keeps it to once."""
    sent = send_due_reminders(timezone.localdate(now))
    return f"{len(sent)} reminder(s) sent"
