"""The outbox's background tasks (django-tasks; the database backend in production): deliver a message, and run
one long job (``jobs.py``: galley builds, clearance packages, anything a stage registers)."""

from django_tasks import task

from chapterhouse.outbox import jobs, mail


@task()
def deliver_message(message_id: int) -> str:
    return mail.deliver(message_id)


@task()
def run_job(job_id: int) -> str:
    return jobs.run(job_id)
