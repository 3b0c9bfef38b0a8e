"""Issue 7 §3 and §4: requests that were too large, malformed, stale or repeated get a clear answer."""

import io
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from chapterhouse.proposals.models import Proposal
from chapterhouse.web.limits import max_request_bytes
from chapterhouse.workflow.models import AuditEntry
from tests.fixtures.files import word_file
from tests.proposals.test_propose_view import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def propose_url(call):
    return reverse("propose", kwargs={"slug": call.slug})


def test_a_body_over_the_cap_is_a_413_page_before_anything_is_read(client, propose_url):
    body = io.BytesIO(b"x" * 16)  # the length header alone decides: the body is never read
    response = client.generic("POST", propose_url, body.getvalue(), content_type="multipart/form-data; boundary=x",
                              CONTENT_LENGTH=str(max_request_bytes() + 1))
    page = response.content.decode()
    assert response.status_code == 413
    assert "too large" in page and "Nothing you sent was stored" in page
    assert Proposal.objects.count() == 0


def test_the_server_caps_a_body_sent_without_a_length_too():
    from chapterhouse.site.server import capping_unsized_bodies

    seen = []

    def app(environ, start_response):
        seen.append(environ["wsgi.input"].read())
        start_response("200 OK", [])
        return [b""]

    capped = capping_unsized_bodies(app, limit=10)
    statuses = []
    for body in (b"x" * 10, b"x" * 11):
        environ = {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input": io.BytesIO(body)}
        capped(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["200 OK", "413 Request Entity Too Large"] and seen == [b"x" * 10]


def test_a_second_file_part_is_refused_and_nothing_stored(client, propose_url):
    data = form_data(attachment=SimpleUploadedFile("outline.docx", word_file("Outline")),
                     extra=SimpleUploadedFile("second.docx", word_file("Second")))
    response = client.post(propose_url, data)
    assert response.status_code == 400 and Proposal.objects.count() == 0


def test_an_abstract_of_few_but_enormous_words_is_refused(client, propose_url):
    response = client.post(propose_url, form_data(abstract=" ".join(["w" * 15000] * 110)))
    assert response.status_code == 400
    assert "at most 7500 characters" in response.content.decode()
    assert Proposal.objects.count() == 0


@pytest.mark.parametrize("field", ["title", "authors-0-name", "authors-0-affiliation", "keywords"])
@pytest.mark.parametrize("bad", ["\r\n", "\n", "\x00", "\x1b"])
def test_single_line_fields_refuse_line_breaks_and_control_characters(client, propose_url, field, bad):
    value = form_data()[field]
    response = client.post(propose_url, form_data(**{field: value[:10] + bad + "Bcc: x@example.org" + value[10:]}))
    assert response.status_code == 400 and Proposal.objects.count() == 0
    assert "must be one line of text" in response.content.decode() or "Null characters" in response.content.decode()


def test_a_wrong_host_header_is_a_400_page_not_a_server_error():
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()


def test_a_403_is_one_line_in_the_log(client, people):
    handler = next(h for h in logging.getLogger().handlers
                   if any(type(f).__name__ == "OneLineForRefusals" for f in h.filters))
    buffer = io.StringIO()
    old = handler.setStream(buffer)
    try:
        client.force_login(people["author_a"])
        assert client.get(reverse("desk")).status_code == 403
    finally:
        handler.setStream(old)
    logged = buffer.getvalue()
    assert "Forbidden" in logged and "Traceback" not in logged and len(logged.strip().splitlines()) == 1


def test_a_move_from_a_stale_page_is_refused_and_says_why(client, people, make_proposal):
    proposal = make_proposal(people["author_a"])
    client.force_login(people["editor"])
    url = reverse("desk_transition", args=[proposal.reference])
    client.post(url, {"to": "under_review", "from": "submitted"})  # tab A
    response = client.post(url, {"to": "declined", "from": "submitted", "reason": "Out of scope."}, follow=True)  # tab B
    proposal.refresh_from_db()
    assert proposal.status == "under_review"
    assert "Nothing was changed" in response.content.decode() and "Under review" in response.content.decode()
    assert [e.to_state for e in AuditEntry.objects.order_by("pk")] == ["submitted", "under_review"]


def test_withdrawing_asks_for_confirmation(client, people, make_proposal):
    proposal = make_proposal(people["author_a"])
    client.force_login(people["author_a"])
    url = reverse("my_proposal_withdraw", args=[proposal.reference])
    response = client.post(url, {"from": "submitted"}, follow=True)
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and "tick" in response.content.decode()
    client.post(url, {"from": "submitted", "confirm": "yes"})
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
