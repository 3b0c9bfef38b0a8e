"""Jobs the worker runs on a schedule (see ``chapterhouse.outbox.periodic``). Each is idempotent."""

from chapterhouse.outbox.periodic import every
from chapterhouse.web import ratelimit


@every(minutes=60)
def sweep_rate_counts(now) -> str:
    """Hourly; a count is only read within its own window, so an ended one can go."""
    return f"{ratelimit.sweep(now)} ended rate-limit window(s) deleted"
