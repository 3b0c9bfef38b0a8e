"""The outbox: a message is a row written with its cause, delivered after commit, retried, never lost."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from chapterhouse.outbox import mail as outbox
from chapterhouse.outbox import periodic
from chapterhouse.outbox.models import Message, PeriodicJob

pytestmark = pytest.mark.django_db

TEMPLATE = "proposals/email/editors_new_proposal.txt"


def queue(**context):
    from chapterhouse.proposals.models import Proposal

    proposal = Proposal.objects.first()
    return outbox.queue_mail(TEMPLATE, {"proposal": proposal, "call": proposal.call, "desk_url": "http://x/",
                                        "screenings": [], "authors": []},
                             ["editor@example.org"], about=proposal)


@pytest.fixture
def proposal(people, make_proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = make_proposal(people["author_a"])
    mail.outbox.clear()
    return made


@pytest.mark.django_db(transaction=True)
def test_a_message_outside_a_transaction_is_refused():
    with pytest.raises(outbox.NotInTransaction):
        outbox.queue_mail("outbox/test_message.txt", {}, ["editor@example.org"])
    assert not Message.objects.exists()


def test_a_rolled_back_change_leaves_no_message_and_sends_nothing(proposal, django_capture_on_commit_callbacks):
    before = Message.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                queue()
                raise RuntimeError("the change failed")
    assert Message.objects.count() == before and mail.outbox == []


def test_a_committed_message_is_delivered_after_commit_and_marked_sent(proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            [message] = queue()
            assert mail.outbox == []  # nothing leaves before the change is committed
    message.refresh_from_db()
    assert message.state == Message.State.SENT and message.attempts == 1 and message.sent_at
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]
    assert mail.outbox[0].subject == message.subject and "\n" not in message.subject


def test_a_failed_send_is_retried_with_backoff_then_given_up(proposal, monkeypatch, django_capture_on_commit_callbacks):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            [message] = queue()
    message.refresh_from_db()
    assert message.state == Message.State.RETRYING and message.attempts == 1
    assert "mail server down" in message.last_error
    waited = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < waited <= timedelta(minutes=1)
    # Not due yet: a delivery attempt now does nothing.
    assert outbox.deliver(message.pk) == Message.State.RETRYING
    message.refresh_from_db()
    assert message.attempts == 1
    for _ in outbox.BACKOFF_MINUTES:
        Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        outbox.deliver(message.pk)
    message.refresh_from_db()
    assert message.state == Message.State.FAILED and message.attempts == len(outbox.BACKOFF_MINUTES) + 1


def test_the_sweep_delivers_a_message_whose_task_was_lost(proposal):
    # As after kill -9 between commit and enqueue: the row exists, no task will ever run for it.
    with transaction.atomic():
        message = Message.objects.create(to="editor@example.org", subject="S", body="B\n",
                                         next_attempt_at=timezone.now() - timedelta(minutes=5))
    later = timezone.now()
    with_callbacks = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transaction, "on_commit", lambda fn, robust=False: with_callbacks.append(fn))
        assert outbox.sweep(later) == 1
    for callback in with_callbacks:
        callback()
    message.refresh_from_db()
    assert message.state == Message.State.SENT and mail.outbox[-1].to == ["editor@example.org"]


def test_a_claim_left_by_a_dead_worker_goes_back_to_the_queue(proposal):
    stale = timezone.now() - outbox.STALE_CLAIM - timedelta(minutes=1)
    message = Message.objects.create(to="editor@example.org", subject="S", body="B\n", state=Message.State.SENDING,
                                     claimed_at=stale, next_attempt_at=stale)
    outbox.sweep()
    message.refresh_from_db()
    assert message.state in {Message.State.RETRYING, Message.State.SENT}


def test_a_message_is_sent_once_even_if_delivered_twice(proposal):
    message = Message.objects.create(to="editor@example.org", subject="S", body="B\n", next_attempt_at=timezone.now())
    assert outbox.deliver(message.pk) == Message.State.SENT
    assert outbox.deliver(message.pk) == Message.State.SENT
    assert sum(m.to == ["editor@example.org"] and m.subject == "S" for m in mail.outbox) == 1


def test_resend_makes_a_new_message_to_the_same_stored_address(proposal, django_capture_on_commit_callbacks):
    original = Message.objects.filter(about_id=proposal.pk).first()
    with django_capture_on_commit_callbacks(execute=True):
        copy = outbox.resend(original)
    copy.refresh_from_db()
    assert copy.to == original.to and copy.resend_of == original and copy.state == Message.State.SENT


def test_a_submission_queues_its_mail_in_its_own_transaction(proposal):
    kinds = sorted(outbox.messages_about(proposal).values_list("kind", flat=True))
    assert kinds == ["proposal.new", "proposal.receipt"]


def test_a_periodic_job_runs_once_per_interval_even_with_two_workers(db):
    calls = []

    @periodic.every(minutes=30)
    def count_runs(now):
        calls.append(now)

    try:
        now = timezone.now()
        periodic.run_due(now)
        periodic.run_due(now)  # a second worker at the same moment finds it claimed
        assert len(calls) == 1
        periodic.run_due(now + timedelta(minutes=29))
        assert len(calls) == 1
        periodic.run_due(now + timedelta(minutes=31))
        assert len(calls) == 2
        job = PeriodicJob.objects.get(name__endswith="count_runs")
        assert job.last_error == "" and job.last_finished_at
    finally:
        periodic.REGISTRY.pop(f"{count_runs.__module__}.{count_runs.__qualname__}")


def test_a_failing_periodic_job_records_its_error_and_runs_again_later(db):
    @periodic.every(minutes=5)
    def broken(now):
        raise ValueError("no reminder template")

    try:
        now = timezone.now()
        periodic.run_due(now)
        job = PeriodicJob.objects.get(name__endswith="broken")
        assert "no reminder template" in job.last_error
        assert "tests.outbox.test_outbox" in job.name
        assert periodic.run_due(now + timedelta(minutes=6)).count(job.name) == 1
    finally:
        periodic.REGISTRY.pop(f"{broken.__module__}.{broken.__qualname__}")
