"""After choosing a password from the mailed link the person is logged in and sent on to their own page; a used or
forged link logs no one in."""

import pytest
from django.contrib.auth import get_user_model

from chapterhouse.accounts.landing import home_for
from chapterhouse.proposals.notifications import set_password_url

pytestmark = pytest.mark.django_db
NEW = "a long new passphrase"


def _link_for(make_user):
    person = make_user("jordan", "author", email="jordan.ellis@example.edu")
    person.set_unusable_password()
    person.save()
    return person, set_password_url(person, "http://testserver").removeprefix("http://testserver")


def test_setting_a_password_logs_the_person_in(client, make_user):
    person, link = _link_for(make_user)
    form_page = client.get(link, follow=True)
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert int(client.session["_auth_user_id"]) == person.pk
    assert get_user_model().objects.get(pk=person.pk).check_password(NEW)
    page = done.content.decode()
    assert "You are logged in" in page and f'href="{home_for(person)}"' in page


def test_a_used_link_logs_no_one_in(client, make_user):
    person, link = _link_for(make_user)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    client.logout()
    again = client.get(link, follow=True)
    assert b"This link no longer works" in again.content
    assert "_auth_user_id" not in client.session
