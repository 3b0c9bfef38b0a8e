"""Jobs the worker runs on a schedule (see ``chapterhouse.outbox.periodic``). Each is idempotent."""

from django.utils import timezone

from chapterhouse.outbox.periodic import every
from chapterhouse.progress.reminders import send_draft_reminders


@every(minutes=60)
def draft_reminders(now) -> str:
    """Hourly; ``DraftReminderSent`` keeps each participant's reminder to once per deadline."""
    sent = send_draft_reminders(timezone.localdate(now))
    return f"{len(sent)} draft reminder(s) sent"
