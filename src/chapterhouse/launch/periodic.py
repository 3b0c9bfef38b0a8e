"""The launch stage's periodic work on the worker: reading Crossref's results of the deposits sent."""

from chapterhouse.outbox.periodic import every


@every(minutes=5)
def read_crossref_results(now) -> None:
    """Crossref processes deposits in a queue (minutes, at busy times hours): ask again until each is complete."""
    from chapterhouse.launch.registration import read_results

    read_results()
