"""Who gets the account pages: everyone may log in and ask for a password link; the waiting page needs a log-in."""

import pytest
from django.urls import reverse

from tests.matrix import LOGIN, WHO, assert_outcome

pytestmark = pytest.mark.django_db

MATRIX = {
    ("login", "get"): dict.fromkeys(WHO, 200),
    ("logout", "post"): dict.fromkeys(WHO, 302),
    ("password_reset", "get"): dict.fromkeys(WHO, 200),
    ("password_reset_done", "get"): dict.fromkeys(WHO, 200),
    ("password_set", "get"): dict.fromkeys(WHO, 200),  # an invalid link says so on a page
    ("password_set_done", "get"): dict.fromkeys(WHO, 200),
    ("waiting", "get"): {**dict.fromkeys(WHO, 200), "anonymous": LOGIN},
    ("todo", "get"): {**dict.fromkeys(WHO, 200), "anonymous": LOGIN},  # each sees only their own items
}


def url_for(name):
    if name == "password_set":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "set-password"})
    return reverse(name)


@pytest.mark.parametrize("view,method", list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_who_gets_what(client, call, people, view, method, who):
    if who != "anonymous":
        client.force_login(people[who])
    response = getattr(client, method)(url_for(view))
    assert_outcome(response, MATRIX[(view, method)][who], f"{who} {method.upper()} {view}")
