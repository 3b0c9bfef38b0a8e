"""Issue 7 §5 (the editors' side): mail about a proposal is visible on its page, can be resent, and is audited;
an author who never set a password can still get in; a withdrawal tells the editors."""

import pytest
from django.core import mail
from django.urls import reverse

from chapterhouse.outbox.mail import messages_about
from chapterhouse.outbox.models import Message
from chapterhouse.workflow.transitions import history

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(people, make_proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_proposal(people["author_a"])


def test_the_proposal_page_shows_each_message_and_its_state(client, people, proposal):
    failed = messages_about(proposal).first()
    Message.objects.filter(pk=failed.pk).update(state=Message.State.FAILED, attempts=6, last_error="SMTPServerDisconnected: gone")
    client.force_login(people["editor"])
    page = client.get(reverse("desk_proposal", args=[proposal.reference])).content.decode()
    assert "Mail about this proposal" in page and "Could not be sent" in page and "SMTPServerDisconnected" in page
    assert "Sent" in page and page.count(">Resend<") == messages_about(proposal).count()


def test_resend_queues_a_copy_to_the_stored_address_and_writes_the_history(client, people, proposal, django_capture_on_commit_callbacks):
    original = messages_about(proposal).get(kind="proposal.receipt")
    client.force_login(people["editor"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("desk_mail_resend", args=[proposal.reference, original.pk]))
    assert response.status_code == 302 and response.url.endswith("#mail")
    copy = Message.objects.get(resend_of=original)
    assert copy.to == original.to == people["author_a"].email and copy.state == Message.State.SENT
    assert [m.to for m in mail.outbox] == [[original.to]]
    assert history(proposal)[-1].action == "Mail resent" and original.to in history(proposal)[-1].reason


def test_resend_only_for_mail_about_this_proposal(client, people, proposal, make_proposal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        other = make_proposal(people["author_b"], title="Another proposal on offsets")
    foreign = messages_about(other).first()
    client.force_login(people["editor"])
    assert client.post(reverse("desk_mail_resend", args=[proposal.reference, foreign.pk])).status_code == 404


def test_a_withdrawal_tells_the_editors(client, people, proposal, django_capture_on_commit_callbacks):
    client.force_login(people["author_a"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("my_proposal_withdraw", args=[proposal.reference]),
                    {"from": "submitted", "confirm": "yes", "reason": "Found another venue."})
    [note] = [m for m in mail.outbox if "withdrawn" in m.subject]
    assert note.to == [people["editor"].email] and "Found another venue." in note.body


def test_a_lost_set_password_mail_is_not_a_lock_out(client, proposal, django_capture_on_commit_callbacks):
    author = proposal.contact_user
    author.set_unusable_password()  # as for an author whose account was made by their first submission
    author.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": author.email.upper()})
    [message] = mail.outbox
    assert message.to == [author.email] and message.subject == "Set your chapterhouse password"
    assert Message.objects.filter(kind="account.password_link", to=author.email, state=Message.State.SENT).exists()
