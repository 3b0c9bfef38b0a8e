"""Issue 7 §8: after log-in each role lands on its own page (the ``home_for`` registry)."""

import pytest
from django.urls import reverse

from chapterhouse.accounts import landing
from chapterhouse.accounts.landing import home_for, land

pytestmark = pytest.mark.django_db


def log_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": "correct-horse-battery"})


def test_editors_land_on_the_desk_and_authors_on_their_proposals(client, people):
    assert log_in(client, people["editor"]).url == reverse("desk")
    client.post(reverse("logout"))
    assert log_in(client, people["author_a"]).url == reverse("my_proposals")


def test_a_page_asked_for_before_log_in_wins(client, people):
    response = client.post(reverse("login") + "?next=/my/proposals/", {"username": "editor", "password": "correct-horse-battery"})
    assert response.url == "/my/proposals/"


def test_roles_without_a_page_land_on_a_page_saying_what_will_come_and_when(client, call, people, monkeypatch):
    for role in [r for r in landing.LANDING_PAGES if r not in ("editor", "author")]:
        monkeypatch.delitem(landing.LANDING_PAGES, role)  # in place: the waiting view holds the same dict
    response = log_in(client, people["security"])
    assert response.url == reverse("waiting")
    page = client.get(response.url).content.decode()
    assert "Security reviewer" in page and "security and policy review" in page and "Expected from" in page


def test_one_line_registers_a_roles_page(people, monkeypatch):
    monkeypatch.setattr(landing, "LANDING_PAGES", dict(landing.LANDING_PAGES))
    land("production", "desk")  # any URL without arguments stands in for a production page here
    assert home_for(people["production"]) == reverse("desk")


def test_the_most_specific_role_wins(make_user):
    both = make_user("both", "author", "editor")
    assert home_for(both) == reverse("desk")
