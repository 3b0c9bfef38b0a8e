"""The launch stage's periodic work on the worker (see ``chapterhouse.outbox.periodic``): reading Crossref's results
of the deposits sent, and making chapter offprints."""

from chapterhouse.launch import offprints
from chapterhouse.outbox.periodic import every


@every(minutes=5)
def read_crossref_results(now) -> None:
    """Crossref processes deposits in a queue (minutes, at busy times hours): ask again until each is complete."""
    from chapterhouse.launch.registration import read_results

    read_results()


@every(minutes=2)
def make_offprints(now) -> str:
    """Chapter offprints of every launched volume, made after launch and again when its build or citation
    changes (the sweep makes only what is missing or out of date)."""
    return f"{offprints.sweep()} offprint(s) made"
