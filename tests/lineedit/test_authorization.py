"""Who gets what in line editing: production and editors send copyedits; only the chapter's own author sees
and answers its copyedit (another author's is a 404); others are refused."""

import pytest
from django.urls import reverse

from chapterhouse.production.lineedit.models import CopyeditRound
from tests.lineedit.conftest import upload

from tests.matrix import LOGIN, WHO, assert_outcome, call_as

pytestmark = pytest.mark.django_db

STAFF_ONLY = {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "production": 200, "editor": 200}

MATRIX = {
    ("copyedit_home", "get"): STAFF_ONLY,
    ("copyedit_chapters", "get"): STAFF_ONLY,
    ("copyedit_upload", "post"): {**STAFF_ONLY, "production": 302, "editor": 302},
    ("copyedit_file", "get"): {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 200, "production": 200,
                               "editor": 200},
    ("my_copyedit", "get"): {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 200},
    ("my_copyedit", "post"): {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 302},
}


@pytest.fixture
def sent(client, people, volume, copyedited):
    client.force_login(people["production"])
    upload(client, volume["a"], copyedited)
    client.logout()
    return CopyeditRound.objects.get()


def url_for(name, round_):
    chapter = round_.chapter
    return reverse(name, args={"copyedit_chapters": [chapter.call.slug], "copyedit_file": [round_.pk, 1],
                               "copyedit_home": []}.get(name, [chapter.pk]))


@pytest.mark.parametrize("view,method", list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_who_gets_what(client, people, sent, view, method, who):
    url = url_for(view, sent)
    data = {"action": "answer", "reason": "Fine."} if view == "my_copyedit" else {}
    response = call_as(client, people, who, method, url, data)
    assert_outcome(response, MATRIX[(view, method)][who], f"{who} {method.upper()} {url}")


def test_another_author_cannot_answer_or_approve(client, people, sent):
    client.force_login(people["author_b"])
    client.post(reverse("my_copyedit", args=[sent.chapter.pk]), {"action": "approve"})
    sent.refresh_from_db()
    assert sent.status == "with_author"


def test_production_staff_and_security_reviewers_have_their_own_pages_linked_from_their_to_do(client, people):
    from chapterhouse.accounts.landing import LANDING_PAGES

    assert LANDING_PAGES["production"] == "copyedit_home" and LANDING_PAGES["security_reviewer"] == "clearance_home"
    client.force_login(people["production"])
    assert reverse("copyedit_home") in client.get(reverse("todo")).content.decode()
