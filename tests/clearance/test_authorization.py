"""Who gets what in the security review: every clearance view for every role.

Author A owns the chapter under test (with an amendment); author B has a chapter of their own. Authors see
only their own chapter's amendments (another author's chapter is a 404); security reviewers and editors see
the request and the manuscript; security reviewers never see the reviews of proposals (the desk is for
editors). Production staff and reviewers have nothing here (403).
"""

import io

import pytest
from django.urls import reverse

from chapterhouse.clearance.amending import record_amendment

from tests.clearance.conftest import cleared
from tests.matrix import LOGIN, WHO, assert_outcome, call_as

pytestmark = pytest.mark.django_db

STAFF_ONLY = {**dict.fromkeys(WHO, 403), "anonymous": LOGIN}

MATRIX = {
    ("clearance_home", "get"): {**STAFF_ONLY, "security": 200, "editor": 200},
    ("clearance_start", "post"): {**STAFF_ONLY, "editor": 302},
    ("clearance_request", "get"): {**STAFF_ONLY, "security": 200, "editor": 200},
    ("clearance_recheck", "post"): {**STAFF_ONLY, "editor": 302},
    ("clearance_form", "get"): {**STAFF_ONLY, "editor": 200},
    ("clearance_follow_up", "post"): {**STAFF_ONLY, "editor": 302},
    ("clearance_package", "get"): {**STAFF_ONLY, "security": 404, "editor": 404},  # not built in this fixture
    ("clearance_move", "post"): {**STAFF_ONLY, "security": 302, "editor": 302},
    ("clearance_record", "post"): {**STAFF_ONLY, "security": 302, "editor": 302},
    ("clearance_amendment_add", "post"): {**STAFF_ONLY, "security": 302},
    ("clearance_amendment_answer", "post"): {**STAFF_ONLY, "security": 302},
    ("clearance_chapter", "get"): {**STAFF_ONLY, "security": 200, "editor": 200},
    ("clearance_version_file", "get"): {**STAFF_ONLY, "security": 200, "editor": 200},
    ("clearance_changes_seen", "post"): {**STAFF_ONLY, "security": 302},
    ("clearance_text", "get"): {**STAFF_ONLY, "security": 200, "editor": 200},
    ("clearance_text_seen", "post"): {**STAFF_ONLY, "security": 302},
    ("my_clearance", "get"): {**dict.fromkeys(WHO, 200), "anonymous": LOGIN},
    ("my_amendments", "get"): {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 200},
    ("my_amendments", "post"): {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 200},
}


@pytest.fixture
def setting(call, people, volume):
    clearance = cleared(call, people, "cleared_as_amended", "One change.")
    amendment = record_amendment(clearance, volume["a"], "p. 1", "forty aircraft", "several aircraft",
                                 people["security"])
    return {"call": call, "clearance": clearance, "chapter": volume["a"], "amendment": amendment}


def url_for(name, s):
    c, ch = s["clearance"], s["chapter"]
    args = {
        "clearance_start": [s["call"].slug], "clearance_amendment_answer": [s["amendment"].pk],
        "clearance_chapter": [c.pk, ch.pk], "clearance_version_file": [c.pk, ch.pk, 1],
        "clearance_changes_seen": [c.pk, ch.pk],
        "clearance_text": [c.pk, c.texts.first().pk], "clearance_text_seen": [c.pk, c.texts.first().pk],
        "my_clearance": [], "my_amendments": [ch.pk], "clearance_home": [],
    }.get(name, [c.pk])
    return reverse(name, args=args)


def data_for(name):
    if name == "my_amendments":
        upload = io.BytesIO(b"not a word file")
        upload.name = "notes.txt"
        return {"file": upload}
    return {"clearance_move": {"to": "objection", "reason": "x"}, "clearance_amendment_answer": {"to": "confirmed"},
            "clearance_changes_seen": {"version": "1"}, "clearance_text_seen": {"sha256": "0" * 64},
            "clearance_record": {"office_reference": "25-S-0001", "cleared_on": "2025-03-01"}}.get(name, {})


@pytest.mark.parametrize("view,method", list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_who_gets_what(client, people, setting, view, method, who):
    url = url_for(view, setting)
    response = call_as(client, people, who, method, url, data_for(view))
    assert_outcome(response, MATRIX[(view, method)][who], f"{who} {method.upper()} {url}")


def test_an_author_lists_only_their_own_chapters_amendments(client, people, setting, volume):
    record_amendment(setting["clearance"], volume["b"], "p. 9", "Norfolk", "a naval station", people["security"])
    client.force_login(people["author_b"])
    page = client.get(reverse("my_clearance")).content.decode()
    assert volume["b"].title in page and volume["a"].title not in page and "p. 9" in page
    assert "forty aircraft" not in client.get(reverse("my_amendments", args=[volume["b"].pk])).content.decode()


def test_security_reviewers_see_the_manuscript_but_not_the_reviews_of_proposals(client, people, setting, volume):
    client.force_login(people["security"])
    version = client.get(reverse("clearance_version_file", args=[setting["clearance"].pk, volume["a"].pk, 1]))
    assert version.status_code == 200 and b"".join(version.streaming_content)[:2] == b"PK"
    proposal = volume["a"].proposal
    assert client.get(reverse("desk_proposal", args=[proposal.reference])).status_code == 403
    assert client.get(reverse("desk_list", args=[setting["call"].slug])).status_code == 403


def test_a_chapter_outside_the_request_or_another_version_is_not_served(client, people, setting, volume,
                                                                        store_version):
    store_version(volume["a"], b"PK draft never sent", final=False)
    client.force_login(people["security"])
    assert client.get(reverse("clearance_version_file", args=[setting["clearance"].pk, volume["a"].pk, 2])
                      ).status_code == 404
    assert client.get(reverse("clearance_chapter", args=[setting["clearance"].pk, 999999])).status_code == 404


def test_a_text_of_another_request_is_not_served_through_this_one(client, people, setting, call):
    from chapterhouse.clearance.models import ClearanceRequest, RequestText

    other = ClearanceRequest.objects.create(call=call, created_by=people["editor"])
    text = RequestText.objects.create(request=other, key="front:99", kind="front", title="Elsewhere", body="x",
                                      sha256="0" * 64)
    client.force_login(people["security"])
    assert client.get(reverse("clearance_text", args=[setting["clearance"].pk, text.pk])).status_code == 404
    assert client.post(reverse("clearance_text_seen", args=[setting["clearance"].pk, text.pk]),
                       {"sha256": "0" * 64}).status_code == 404
