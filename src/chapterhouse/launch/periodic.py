"""Jobs the worker runs on a schedule (see ``chapterhouse.outbox.periodic``)."""

from chapterhouse.launch import offprints
from chapterhouse.outbox.periodic import every


@every(minutes=2)
def make_offprints(now) -> str:
    """Chapter offprints of every launched volume, made after launch and again when its build or citation
    changes (the sweep makes only what is missing or out of date)."""
    return f"{offprints.sweep()} offprint(s) made"
