"""Issue 7 §8 and issue 17 §2: after log-in everyone with a role lands on their to-do page, which links each of
their roles' own page (the ``land`` registry)."""

import pytest
from django.urls import reverse

from chapterhouse.accounts import landing
from chapterhouse.accounts.landing import land

pytestmark = pytest.mark.django_db


def log_in(client, user):
    return client.post(reverse("login"), {"username": user.username, "password": "correct-horse-battery"})


def test_everyone_with_a_role_lands_on_their_to_do_page_which_links_their_roles_page(client, call, people):
    for who, own_page in [("editor", "desk"), ("author_a", "my_proposals"), ("production", "copyedit_home"),
                          ("security", "clearance_home"), ("reviewer", "reviewer_home")]:
        assert log_in(client, people[who]).url == reverse("todo"), who
        assert f'href="{reverse(own_page)}"' in client.get(reverse("todo")).content.decode(), who
        client.post(reverse("logout"))


def test_a_page_asked_for_before_log_in_wins(client, people):
    response = client.post(reverse("login") + "?next=/my/proposals/", {"username": "editor", "password": "correct-horse-battery"})
    assert response.url == "/my/proposals/"


def test_a_role_with_nothing_to_do_says_what_will_come_and_when(client, call, people):
    log_in(client, people["security"])
    page = client.get(reverse("todo")).content.decode()
    assert "Nothing waits on you here now" in page and "security and policy review" in page
    assert "Expected from" in page


def test_someone_without_a_role_lands_on_the_waiting_page(client, make_user):
    nobody = make_user("nobody")
    assert log_in(client, nobody).url == reverse("waiting")


def test_one_line_registers_a_roles_page(client, call, people, monkeypatch):
    monkeypatch.setitem(landing.LANDING_PAGES, "production", "copyedit_home")  # restored after the test
    land("production", "chapter_board")  # any URL without arguments stands in for a production page here
    client.force_login(people["production"])
    assert f'href="{reverse("chapter_board")}"' in client.get(reverse("todo")).content.decode()


def test_the_most_specific_role_comes_first(client, call, make_user):
    both = make_user("both", "author", "editor")
    client.force_login(both)
    page = client.get(reverse("todo")).content.decode()
    assert page.index('id="todo-editor"') < page.index('id="todo-author"')
