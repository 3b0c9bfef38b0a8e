"""Issue 7 §1: a look-alike contact address must never reach an existing author's account.

Run on SQLite and, with DATABASE_URL=postgres://…, on PostgreSQL, whose UPPER('ı') is 'I'.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from chapterhouse.proposals.models import Proposal
from tests.accounts.test_canonical_email import LOOK_ALIKES, SAME_ADDRESS, VICTIM
from tests.proposals.test_propose_view import form_data

pytestmark = pytest.mark.django_db(transaction=False)


def submit_as(client, call, email, capture, title="Streamlining technology release in security cooperation cases",
              may_refuse=False):
    """The stored proposal; or None when ``may_refuse`` and the form refused the address as not an address."""
    mail.outbox.clear()
    with capture(execute=True):
        response = client.post(
            reverse("propose", kwargs={"slug": call.slug}),
            form_data(**{"authors-0-email": email, "authors-TOTAL_FORMS": "1", "authors-1-name": None,
                         "authors-1-email": None, "authors-1-affiliation": None, "authors-1-bio": None,
                         "title": title}),
        )
    if may_refuse and response.status_code == 400:
        assert 'id="id_authors-0-email_error"' in response.content.decode() or "e-mail address" in response.content.decode()
        assert mail.outbox == []
        return None
    assert response.status_code == 302, response.content.decode()[:2000]
    return Proposal.objects.get(reference=response.url.rstrip("/").rsplit("/", 1)[-1])


def set_password_mails():
    return [m for m in mail.outbox if "/accounts/password/set/" in m.body]


@pytest.fixture
def victim(client, call, django_capture_on_commit_callbacks):
    proposal = submit_as(client, call, VICTIM, django_capture_on_commit_callbacks)
    return proposal.contact_user


@pytest.mark.parametrize("attacker_email", LOOK_ALIKES)
def test_a_look_alike_address_gets_its_own_account_and_no_link_to_the_victims(
    client, call, victim, attacker_email, django_capture_on_commit_callbacks
):
    proposal = submit_as(client, call, attacker_email, django_capture_on_commit_callbacks, title="Attacker's proposal",
                         may_refuse=True)
    assert Proposal.objects.filter(contact_user=victim).count() == 1
    if proposal is None:  # Django's e-mail field refuses a non-ASCII local part outright: just as safe
        return
    assert proposal.contact_user != victim
    assert proposal.contact_user.email != VICTIM
    for message in set_password_mails():
        uid = re.search(r"/password/set/([^/]+)/", message.body).group(1)
        assert uid != victim_uid(victim), f"victim's link mailed to {message.to}"
    assert get_user_model().objects.filter(email=VICTIM).count() == 1


@pytest.mark.parametrize("same", SAME_ADDRESS)
def test_another_spelling_of_the_address_joins_the_account_but_mail_goes_to_the_stored_address(
    client, call, victim, same, django_capture_on_commit_callbacks
):
    victim_password_unset = not victim.has_usable_password()
    proposal = submit_as(client, call, same, django_capture_on_commit_callbacks, title="Second proposal")
    assert proposal.contact_user == victim and victim_password_unset
    assert [m.to for m in set_password_mails()] == [[VICTIM]]


def victim_uid(user):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return urlsafe_base64_encode(force_bytes(user.pk))


@pytest.mark.parametrize("attacker_email", LOOK_ALIKES)
def test_password_reset_for_a_look_alike_sends_nothing(client, victim, attacker_email, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": attacker_email})
    assert response.status_code in (200, 302)  # 200: the form refused a non-ASCII local part as no address
    assert mail.outbox == []


@pytest.mark.parametrize("same", SAME_ADDRESS[:3])
def test_password_reset_reaches_an_author_who_never_set_a_password_at_the_stored_address(
    client, victim, same, django_capture_on_commit_callbacks
):
    assert not victim.has_usable_password()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": same})
    assert [m.to for m in mail.outbox] == [[VICTIM]]
    assert f"/accounts/password/set/{victim_uid(victim)}/" in mail.outbox[0].body


@pytest.mark.parametrize("attacker_email", LOOK_ALIKES)
def test_logging_in_with_a_look_alike_address_does_not_find_the_account(client, victim, attacker_email):
    victim.set_password("victims own password 42")
    victim.save()
    response = client.post(reverse("login"), {"username": attacker_email, "password": "victims own password 42"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = client.post(reverse("login"), {"username": "Victim.Author@GMAIL.com", "password": "victims own password 42"})
    assert response.status_code == 302


def test_every_stored_address_is_canonical_whatever_saves_it(make_user):
    user = make_user("someone", email="  Some.One@EXAMPLE.org. ")
    user.refresh_from_db()
    assert user.email == "some.one@example.org"
