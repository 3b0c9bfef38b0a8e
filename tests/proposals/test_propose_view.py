"""The public proposal form: a good submission and every way a submission is refused."""

import datetime as dt
import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chapterhouse.proposals.models import Attachment, Proposal, ScreeningResult
from chapterhouse.workflow.models import AuditEntry
from tests.conftest import SAMPLE_ABSTRACT
from tests.fixtures.files import pdf_file, word_file

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "Streamlining technology release in security cooperation cases",
        "theme": "process",
        "abstract": SAMPLE_ABSTRACT,
        "keywords": "technology release, process, metrics",
        "builds_on_existing_work": "no",
        "funding_requested": "no",
        "access_requested": "no",
        "attest_unclassified": "on",
        "contact": "1",
        "authors-TOTAL_FORMS": "2",
        "authors-INITIAL_FORMS": "0",
        "authors-MIN_NUM_FORMS": "1",
        "authors-MAX_NUM_FORMS": "6",
        "authors-0-name": "Jordan Ellis",
        "authors-0-email": "jordan.ellis@example.edu",
        "authors-0-affiliation": "Example University",
        "authors-0-bio": "Jordan Ellis studies defense acquisition.",
        "authors-1-name": "Casey Park",
        "authors-1-email": "casey.park@example.edu",
        "authors-1-affiliation": "Example Institute",
        "authors-1-bio": "Casey Park was a case manager for ten years.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def propose_url(call):
    return reverse("propose", kwargs={"slug": call.slug})


def submit(client, url, **overrides):
    return client.post(url, form_data(**overrides))


def test_the_form_shows_every_section_the_call_asks_for(client, propose_url):
    page = client.get(propose_url).content.decode()
    for text in ("Proposed chapter title", "Law and Policy", "Partnership", "Abstract", "100–500 words", "Keywords",
                 "Short biography", "Contact author", "existing, ongoing or already published work",
                 "Status of permissions", "Amount requested", "access to officials", "Which offices",
                 "Attachment", "unclassified"):
        assert text in page, text


def test_a_good_submission_is_stored_screened_and_acknowledged(client, propose_url, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, propose_url, contact="2")
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == reverse("proposal_receipt", args=[proposal.reference])
    assert proposal.reference == "FMS-0001" and proposal.status == "submitted"
    assert [a.name for a in proposal.authors.all()] == ["Jordan Ellis", "Casey Park"]
    assert proposal.contact_user.email == "casey.park@example.edu"
    assert not proposal.contact_user.has_usable_password()
    assert {s.kind for s in proposal.screenings.all()} == {"markings", "scope", "theme_fit", "anonymity"}  # double-blind call
    [entry] = AuditEntry.objects.all()
    assert (entry.from_state, entry.to_state, entry.action) == ("", "submitted", "Submitted")

    receipt = client.get(response.url).content.decode()
    assert "FMS-0001" in receipt and "Streamlining technology release" in receipt

    to = {tuple(m.to) for m in mail.outbox}
    assert {("jordan.ellis@example.edu",), ("casey.park@example.edu",), ("editor@example.org",)} <= to
    contact_mail = next(m for m in mail.outbox if m.to == ["casey.park@example.edu"])
    assert "FMS-0001" in contact_mail.subject and "/accounts/password/set/" in contact_mail.body
    co_author_mail = next(m for m in mail.outbox if m.to == ["jordan.ellis@example.edu"])
    assert "/accounts/password/set/" not in co_author_mail.body
    assert "Casey Park is the contact author" in co_author_mail.body
    editor_mail = next(m for m in mail.outbox if m.to == ["editor@example.org"])
    assert "/desk/proposals/FMS-0001/" in editor_mail.body


def test_the_receipt_is_only_shown_to_the_session_that_submitted(client, propose_url):
    response = submit(client, propose_url)
    other = client.__class__()
    assert other.get(response.url).status_code == 404


def test_the_set_password_link_from_the_mail_works(client, propose_url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(client, propose_url)
    body = next(m for m in mail.outbox if m.to == ["jordan.ellis@example.edu"]).body
    link = next(line.strip() for line in body.splitlines() if "/accounts/password/set/" in line)
    page = client.get(link.removeprefix("http://testserver"), follow=True)
    assert b"Choose your password" in page.content
    client.post(page.redirect_chain[-1][0], {"new_password1": "a long new passphrase", "new_password2": "a long new passphrase"})
    assert get_user_model().objects.get(email="jordan.ellis@example.edu").check_password("a long new passphrase")


def test_each_missing_field_gets_its_own_inline_error_and_the_text_is_kept(client, propose_url):
    response = submit(client, propose_url, title="", keywords="", **{"authors-0-email": "not-an-address"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the chapter a title." in page
    assert "Give at least one keyword." in page
    assert "Enter an e-mail address like name@example.org." in page
    assert SAMPLE_ABSTRACT[:80] in page and "Casey Park" in page  # nothing typed is lost
    assert Proposal.objects.count() == 0


def test_abstract_length_comes_from_the_call(client, propose_url):
    page = submit(client, propose_url, abstract="Too short to be an abstract.").content.decode()
    assert "The abstract has 6 words; the call asks for at least 100." in page
    page = submit(client, propose_url, abstract="word " * 501).content.decode()
    assert "The abstract has 501 words; the call allows at most 500." in page


def test_a_yes_needs_its_details(client, propose_url):
    page = submit(client, propose_url, funding_requested="yes", access_requested="yes", builds_on_existing_work="yes").content.decode()
    assert page.count("Required when you answer “Yes” above.") == 6


def test_funding_and_access_requests_are_kept(client, propose_url):
    submit(client, propose_url, funding_requested="yes", funding_amount="12500", funding_justification="Archive travel.",
           access_requested="yes", access_offices="DSCA Office of Business Operations", access_reason="Interviews.",
           builds_on_existing_work="yes", existing_work_details="A 2023 journal article.", permission_status="requested")
    proposal = Proposal.objects.get()
    assert (proposal.funding_requested, str(proposal.funding_amount)) == (True, "12500.00")
    assert proposal.access_offices == "DSCA Office of Business Operations"
    assert proposal.permission_status == "requested"


def test_too_many_keywords(client, propose_url):
    page = submit(client, propose_url, keywords=",".join(f"k{i}" for i in range(9))).content.decode()
    assert "9 keywords given; the call allows 8." in page


def test_the_same_email_for_two_authors(client, propose_url):
    page = submit(client, propose_url, **{"authors-1-email": "jordan.ellis@example.edu"}).content.decode()
    assert "Two authors have the same e-mail address" in page


def test_the_attestation_is_required(client, propose_url):
    page = submit(client, propose_url, attest_unclassified=None).content.decode()
    assert "Tick this box to confirm the submission is unclassified" in page


@pytest.mark.parametrize("field,text,where", [
    ("abstract", SAMPLE_ABSTRACT + "\nSECRET//NOFORN", "the abstract, line 2"),
    ("title", "(TS) Release timelines for partners", "the title"),  # a lone bare "(S)" is for the editors (issue 22)
    ("authors-1-bio", "Former case manager. CUI//SP-CTI", "author 2's biography"),
    ("keywords", "FOUO, release", "the keywords"),
])
def test_a_marking_anywhere_refuses_the_submission_and_stores_nothing(client, propose_url, field, text, where):
    response = submit(client, propose_url, **{field: text})
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "nothing of it was saved" in page and where in page
    assert Proposal.objects.count() == 0 and ScreeningResult.objects.count() == 0 and AuditEntry.objects.count() == 0
    assert get_user_model().objects.filter(email="jordan.ellis@example.edu").count() == 0
    assert len(mail.outbox) == 0


def test_a_marked_attachment_is_refused_and_never_written(client, propose_url, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    data = form_data()
    data["attachment"] = SimpleUploadedFile("draft.docx", word_file("Background", "CUI//SP-PRVCY", "More text"))
    page = client.post(propose_url, data).content.decode()
    assert "“CUI//SP-PRVCY” (CUI marking) in the attachment “draft.docx”, body, paragraph 2" in page
    assert "Attach your file again" in page
    assert Proposal.objects.count() == 0 and Attachment.objects.count() == 0
    assert not (tmp_path / "media").exists()


def test_a_marking_in_a_pdf_attachment_is_named_with_its_page(client, propose_url):
    data = form_data()
    data["attachment"] = SimpleUploadedFile("draft.pdf", pdf_file("Clean first page text.", "DISTRIBUTION STATEMENT D"))
    page = client.post(propose_url, data).content.decode()
    assert "Distribution Statement D" in page or "DISTRIBUTION STATEMENT D" in page
    assert "the attachment “draft.pdf”, page 1" in page


def test_a_clean_attachment_is_stored_by_content_hash(client, propose_url):
    data = form_data()
    data["attachment"] = SimpleUploadedFile("Outline (final).docx", word_file("Outline of the chapter."))
    client.post(propose_url, data)
    attachment = Attachment.objects.get()
    assert attachment.original_name == "Outline (final).docx" and attachment.kind == "docx"
    assert attachment.file.name == f"proposals/{attachment.sha256[:2]}/{attachment.sha256}.docx"
    assert attachment.file.read()[:2] == b"PK"


@pytest.mark.parametrize("name,content,message", [
    ("notes.txt", b"hello", "Only .docx or .pdf files can be attached"),
    ("chapter.docx", b"%PDF-1.7 ...", "is named .docx but is a PDF"),
    ("chapter.docx", b"PK\x03\x04garbage", "damaged or incomplete"),
])
def test_bad_attachments_get_a_specific_inline_message(client, propose_url, name, content, message):
    data = form_data()
    data["attachment"] = SimpleUploadedFile(name, content)
    response = client.post(propose_url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Proposal.objects.count() == 0


def test_an_oversize_attachment_is_drained_not_kept(client, propose_url, settings):
    settings.CHAPTERHOUSE_MAX_UPLOAD_MB = 1
    data = form_data()
    data["attachment"] = SimpleUploadedFile("huge.pdf", b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024))
    page = client.post(propose_url, data).content.decode()
    assert "“huge.pdf” is 3.0 MB; the limit is 1 MB." in page


def test_the_honeypot_refuses_quietly(client, propose_url):
    response = submit(client, propose_url, website="http://spam.example")
    assert response.status_code == 400 and Proposal.objects.count() == 0


def test_the_rate_limit_keeps_the_text(client, propose_url, settings):
    settings.CHAPTERHOUSE_SUBMISSION_RATE = "2/h"
    for n in range(2):
        assert submit(client, propose_url, **{"authors-0-email": f"a{n}@example.edu", "authors-1-email": f"b{n}@example.edu"}).status_code == 302
    response = submit(client, propose_url)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many proposals" in page and SAMPLE_ABSTRACT[:60] in page
    assert Proposal.objects.count() == 2


def test_a_closed_call_shows_when_it_closed_and_refuses_posts(client, call):
    call.opens_on, call.closes_on = dt.date(2024, 1, 15), dt.date(2024, 3, 15)
    call.save()
    url = reverse("propose", kwargs={"slug": call.slug})
    assert "Proposals closed on 15 March 2024" in client.get(url).content.decode()
    assert submit(client, url).status_code == 403
    assert Proposal.objects.count() == 0


def test_scope_and_theme_fit_are_recorded_for_the_editors(client, propose_url):
    abstract = ("Direct commercial sales now rival government-to-government sales. " * 3 + SAMPLE_ABSTRACT)
    submit(client, propose_url, title="Direct commercial sales and the partner's choice", abstract=abstract, theme="partnership")
    proposal = Proposal.objects.get()
    assert proposal.scope_flagged
    scope = proposal.screenings.get(kind="scope")
    assert scope.outcome == "flagged" and scope.details["flags"][0]["topic"] == "Direct commercial sales"
    fit = proposal.screenings.get(kind="theme_fit")
    assert fit.details["chosen"] == "partnership" and fit.details["ranking"][0]["slug"] == "process"
    assert proposal.suggested_theme.slug == "process"


def test_a_mail_failure_does_not_lose_the_proposal_or_its_mail(client, propose_url, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
    from chapterhouse.outbox.models import Message

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, propose_url)
    assert response.status_code == 302 and Proposal.objects.count() == 1
    # Every message is kept for the worker to retry; none is lost with the failed send.
    states = set(Message.objects.values_list("state", flat=True))
    assert states == {Message.State.RETRYING} and Message.objects.filter(to="casey.park@example.edu").exists()


def test_back_and_resubmit_shows_the_first_receipt_and_stores_nothing_twice(client, propose_url, django_capture_on_commit_callbacks):
    token = re.search(r'name="submission_token" value="([^"]+)"', client.get(propose_url).content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(client, propose_url, submission_token=token)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        again = submit(client, propose_url, submission_token=token)
    assert first.status_code == again.status_code == 302 and again.url == first.url
    assert Proposal.objects.count() == 1 and len(mail.outbox) == sent
    assert "already sent" in client.get(again.url).content.decode()
