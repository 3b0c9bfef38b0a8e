"""Co-authors join their chapter through an invitation to the address stored for them: a new account chooses a
password, an existing one logs in first, anyone else is turned away, and a stale or altered link says why."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.urls import reverse

from chapterhouse.chapters import coauthors
from chapterhouse.chapters.models import ChapterAuthor
from chapterhouse.workflow.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def coauthor(chapter_a):
    return ChapterAuthor.objects.create(chapter=chapter_a, name="Robin Vale", email="Robin.Vale@Example.net", order=2)


def invitation_link(client, people, chapter, coauthor, django_capture_on_commit_callbacks) -> str:
    client.force_login(people["author_a"])  # the contact author invites
    page = client.get(reverse("chapter", args=[chapter.pk])).content.decode()
    assert f'data-testid="invite-{coauthor.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("chapter_author_invite", args=[chapter.pk, coauthor.pk]), follow=True)
    assert "Invitation sent to Robin Vale" in response.content.decode()
    [sent] = [m for m in mail.outbox if "Join your chapter" in m.subject]
    assert sent.to == ["Robin.Vale@Example.net"]  # the stored address, as stored
    client.logout()
    return re.search(r"http://\S+(/chapters/join/\S+/)", sent.body).group(1)


PASSWORD = {"new_password1": "robin-chooses-this-1", "new_password2": "robin-chooses-this-1"}


def test_a_co_author_without_an_account_joins_by_choosing_a_password(client, people, chapter_a, coauthor,
                                                                    django_capture_on_commit_callbacks):
    link = invitation_link(client, people, chapter_a, coauthor, django_capture_on_commit_callbacks)
    page = client.get(link).content.decode()
    assert "Join the chapter" in page and chapter_a.title in page and 'name="new_password1"' in page
    response = client.post(link, {**PASSWORD, "new_password2": "something-else-2"})
    assert response.status_code == 400 and "didn’t match" in response.content.decode()
    response = client.post(link, PASSWORD)
    assert response.status_code == 302 and response.url == reverse("chapter", args=[chapter_a.pk])
    coauthor.refresh_from_db()
    assert coauthor.user.email == "robin.vale@example.net" and coauthor.user.check_password(PASSWORD["new_password1"])
    assert client.get(reverse("chapter", args=[chapter_a.pk])).status_code == 200  # logged in as the new account
    assert chapter_a.title in client.get(reverse("my_chapters")).content.decode()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "Invited Robin Vale to join as a co-author" in actions and "Robin Vale joined the chapter as a co-author" in actions
    client.logout()
    assert "has joined this chapter" in client.get(link).content.decode()
    response = client.post(reverse("login"), {"username": "robin.vale@example.net", "password": PASSWORD["new_password1"]})
    assert response.status_code == 302 and client.get(reverse("chapter", args=[chapter_a.pk])).status_code == 200


def test_leaving_before_the_password_is_set_joins_nothing(client, people, chapter_a, coauthor,
                                                          django_capture_on_commit_callbacks):
    """Issue 18 §4: accepting the invitation and leaving the set-password page left an account without a password
    that the link then called "joined, log in". Joining is complete only when the password is set."""
    link = invitation_link(client, people, chapter_a, coauthor, django_capture_on_commit_callbacks)
    client.post(link)  # "Join the chapter" without a password, then the person goes away
    coauthor.refresh_from_db()
    assert coauthor.user is None
    assert not get_user_model().objects.filter(email="robin.vale@example.net").exists()
    page = client.get(link).content.decode()
    assert "has joined this chapter" not in page and 'name="new_password1"' in page


def test_an_account_left_without_a_password_by_the_old_page_finishes_joining_with_one(client, people, chapter_a,
                                                                                     coauthor, make_user):
    """Accounts half-joined before the fix: the link asks for the password instead of saying "joined, log in"."""
    stranded = make_user("robin.vale@example.net", email="robin.vale@example.net")
    stranded.set_unusable_password()
    stranded.save()
    coauthors.join(coauthor, stranded)
    token = signing.dumps({"author": coauthor.pk, "email": "robin.vale@example.net"}, salt=coauthors.SALT)
    link = reverse("chapter_join", args=[token])
    page = client.get(link).content.decode()
    assert "has joined this chapter" not in page and 'name="new_password1"' in page
    assert client.post(link, PASSWORD).status_code == 302
    stranded.refresh_from_db()
    assert stranded.check_password(PASSWORD["new_password1"])
    assert get_user_model().objects.filter(email="robin.vale@example.net").count() == 1


def test_an_existing_account_logs_in_first_and_another_account_is_turned_away(client, people, make_user, chapter_a,
                                                                               coauthor, django_capture_on_commit_callbacks):
    robin = make_user("robin", "reviewer", email="robin.vale@example.net")
    link = invitation_link(client, people, chapter_a, coauthor, django_capture_on_commit_callbacks)
    assert "Log in to join" in client.get(link).content.decode()
    response = client.post(link)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))

    client.force_login(people["author_b"])
    assert client.post(link).status_code == 403
    coauthor.refresh_from_db()
    assert coauthor.user is None

    client.force_login(robin)
    response = client.post(link, follow=True)
    assert "You have joined" in response.content.decode()
    coauthor.refresh_from_db()
    assert coauthor.user == robin and robin.groups.filter(name="author").exists()


@pytest.mark.parametrize("spoil,reason", [
    (lambda token, author: token[:-2] + "xx", "not valid: check that it was copied whole"),
    (lambda token, author: ChapterAuthor.objects.filter(pk=author.pk).update(email="other@example.net") and token,
     "authors have changed since it was sent"),
])
def test_an_altered_or_outdated_invitation_says_why(client, coauthor, spoil, reason):
    token = signing.dumps({"author": coauthor.pk, "email": "robin.vale@example.net"}, salt=coauthors.SALT)
    response = client.get(reverse("chapter_join", args=[spoil(token, coauthor)]))
    assert response.status_code == 400 and reason in response.content.decode()


def test_an_old_invitation_has_expired(client, coauthor, time_machine):
    time_machine.move_to("2030-01-01")
    token = signing.dumps({"author": coauthor.pk, "email": "robin.vale@example.net"}, salt=coauthors.SALT)
    time_machine.move_to("2030-03-01")
    response = client.get(reverse("chapter_join", args=[token]))
    assert response.status_code == 400 and "more than 30 days old" in response.content.decode()


def test_only_the_chapters_authors_and_editors_invite_and_only_those_not_joined(client, people, chapter_a, coauthor):
    client.force_login(people["author_a"])
    contact = chapter_a.authors.get(is_contact=True)
    response = client.post(reverse("chapter_author_invite", args=[chapter_a.pk, contact.pk]), follow=True)
    assert "has already joined the chapter" in response.content.decode()
    client.force_login(people["author_b"])
    assert client.post(reverse("chapter_author_invite", args=[chapter_a.pk, coauthor.pk])).status_code == 404
    assert not [m for m in mail.outbox if "Join your chapter" in m.subject]


def test_invitations_to_one_co_author_are_limited_per_hour(client, people, chapter_a, coauthor, settings,
                                                           django_capture_on_commit_callbacks):
    """Issue 18 §4 (every request that mails an address is limited): six invitations to one co-author send five."""
    settings.CHAPTERHOUSE_MAIL_RATE_PER_ADDRESS = "5/h"
    client.force_login(people["author_a"])
    url = reverse("chapter_author_invite", args=[chapter_a.pk, coauthor.pk])
    with django_capture_on_commit_callbacks(execute=True):
        pages = [client.post(url, follow=True).content.decode() for _ in range(6)]
    assert len([m for m in mail.outbox if "Join your chapter" in m.subject]) == 5
    assert "too many invitations" in pages[-1] and "nothing was sent" in pages[-1]
