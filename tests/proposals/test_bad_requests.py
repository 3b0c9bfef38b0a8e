"""Tampered or nonsensical requests get a clear answer, never a server error."""

import pytest
from django.urls import reverse

from tests.proposals.test_propose_view import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def propose_url(call):
    return reverse("propose", kwargs={"slug": call.slug})


@pytest.mark.parametrize("data", [
    {},
    {"authors-TOTAL_FORMS": "abc"},
    form_data(**{"authors-TOTAL_FORMS": "1000"}),
    form_data(**{"authors-TOTAL_FORMS": "-1"}),
    form_data(contact="7"),
    form_data(contact="abc"),
    form_data(theme="no-such-theme"),
    form_data(funding_requested="maybe"),
    form_data(funding_requested="yes", funding_amount="-5", funding_justification="x"),
    form_data(funding_requested="yes", funding_amount="1e9999", funding_justification="x"),
    form_data(permission_status="stolen", builds_on_existing_work="yes", existing_work_details="x"),
    form_data(title="x" * 5000),
    form_data(abstract="\x00" * 10),
])
def test_nonsense_posts_get_a_400_with_the_form_back(client, propose_url, data):
    response = client.post(propose_url, data)
    assert response.status_code == 400
    assert b"Your proposal has not been sent yet" in response.content


def test_a_request_body_too_large_for_memory_is_a_400_page(client, propose_url, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(propose_url, form_data(abstract="word " * 5000))
    assert response.status_code == 400
    assert b"could not be understood" in response.content


@pytest.mark.parametrize("path,status", [
    ("/calls/nope/", 404), ("/calls/nope/propose/", 404), ("/proposals/received/../../etc/passwd/", 404),
    ("/desk/proposals/%00/", 404), ("/desk/calls/nope/proposals/", 404), ("/calls/dscu-fms-2024/timeline.ics?x=%ff", 200),
    ("/desk/calls/dscu-fms-2024/proposals/?page=9999&sort=%ff", 200),
])
def test_odd_urls_get_a_page_not_a_server_error(client, call, people, path, status):
    client.force_login(people["editor"])
    assert client.get(path).status_code == status


def test_an_unknown_move_is_a_message_not_an_error(client, people, make_proposal):
    proposal = make_proposal(people["author_a"])
    client.force_login(people["editor"])
    response = client.post(reverse("desk_transition", args=[proposal.reference]), {"to": "<script>"}, follow=True)
    assert response.status_code == 200 and "cannot go from" in response.content.decode()
