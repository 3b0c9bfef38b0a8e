"""Issue 22, item 3, at intake: the one marking rule of screening/markings.py, as the checker applies it.

What the checker calls an error refuses a proposal and stores nothing; what it calls a warning (a marking word
discussed in prose, a statement that the work holds CUI, a "CUI:" label) does not refuse it, and the editors see
it in the marking screening instead of "No classification or CUI markings found"."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chapterhouse.manuscripts import check
from chapterhouse.proposals.models import Attachment, Proposal, ScreeningResult
from tests.conftest import SAMPLE_ABSTRACT
from tests.fixtures.files import word_file
from tests.manuscripts.conftest import dscu_rules
from tests.proposals.test_propose_view import form_data, propose_url, submit  # noqa: F401 (propose_url: a fixture)

pytestmark = pytest.mark.django_db

FOR_EDITORS = [
    "The retired FOUO marking gave way to a single program in 2020.",
    "The attached case data is CUI and will be cited.",
    "A banner line such as SECRET//NOFORN appears at the top and bottom of every page of such a cable.",
]


@pytest.mark.parametrize("sentence", FOR_EDITORS)
def test_a_sentence_the_checker_warns_about_is_taken_and_shown_to_the_editors(client, propose_url, sentence):
    response = submit(client, propose_url, abstract=f"{SAMPLE_ABSTRACT} {sentence}")
    assert response.status_code == 302, html.unescape(response.content.decode())[:2000]
    markings = Proposal.objects.get().screenings.get(kind=ScreeningResult.Kind.MARKINGS)
    assert markings.outcome == ScreeningResult.Outcome.FLAGGED
    assert "No classification or CUI markings found" not in markings.summary
    assert "the abstract" in markings.summary and markings.details["doubtful"][0]["doubt"]


@pytest.mark.parametrize("sentence", FOR_EDITORS)
def test_the_checker_gives_the_same_sentence_a_warning_not_an_error(sentence):
    report = check(word_file("Introduction.", sentence), dscu_rules())
    severities = {f.severity for f in report.findings if f.category == "security"}
    assert severities == {"warning"}


def test_a_lone_bare_portion_mark_in_the_title_is_shown_to_the_editors_as_the_checker_warns(client, propose_url):
    assert submit(client, propose_url, title="(S) Release timelines for partners").status_code == 302
    markings = Proposal.objects.get().screenings.get(kind="markings")
    assert markings.outcome == "flagged" and "“(S)” (portion marking) in the title" in markings.summary


def test_a_mixed_case_banner_line_is_shown_to_the_editors(client, propose_url):
    submit(client, propose_url, abstract=f"{SAMPLE_ABSTRACT}\nSecret//Noforn")
    markings = Proposal.objects.get().screenings.get(kind=ScreeningResult.Kind.MARKINGS)
    assert markings.outcome == "flagged" and "Secret//Noforn" in markings.summary


def test_an_attachment_with_a_cui_label_is_kept_and_flagged(client, propose_url):
    data = form_data()
    data["attachment"] = SimpleUploadedFile("draft.docx", word_file("Background", "CUI: Chen, case notes, 2021."))
    response = client.post(propose_url, data)
    assert response.status_code == 302
    assert Attachment.objects.count() == 1
    markings = Proposal.objects.get().screenings.get(kind="markings")
    assert markings.outcome == "flagged" and "the attachment “draft.docx”" in markings.summary


def test_a_real_banner_still_refuses_and_stores_nothing(client, propose_url):
    response = submit(client, propose_url, abstract=f"{SAMPLE_ABSTRACT}\nSECRET//NOFORN")
    page = html.unescape(response.content.decode())
    assert response.status_code == 400 and "nothing of it was saved" in page and "SECRET//NOFORN" in page
    assert Proposal.objects.count() == 0 and ScreeningResult.objects.count() == 0


def test_a_refusal_lists_only_the_markings_that_refuse(client, propose_url):
    response = submit(client, propose_url, abstract=f"{SAMPLE_ABSTRACT} The retired FOUO marking is gone.\nSECRET//NOFORN")
    page = html.unescape(response.content.decode())
    assert response.status_code == 400 and "SECRET//NOFORN" in page and "“FOUO”" not in page


def test_a_clean_proposal_still_says_no_markings_found(client, propose_url):
    submit(client, propose_url)
    markings = Proposal.objects.get().screenings.get(kind="markings")
    assert markings.outcome == "clear" and markings.summary.startswith("No classification or CUI markings found")
