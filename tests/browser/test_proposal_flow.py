"""The flows a person clicks through: an author submits the real form; an editor finds it on the desk."""

import pytest

from chapterhouse.proposals.models import Proposal
from tests.conftest import SAMPLE_ABSTRACT
from tests.fixtures.files import word_file

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def fill_author(page, index, name, email, affiliation, bio):
    page.fill(f"#id_authors-{index}-name", name)
    page.fill(f"#id_authors-{index}-email", email)
    page.fill(f"#id_authors-{index}-affiliation", affiliation)
    page.fill(f"#id_authors-{index}-bio", bio)


def fill_proposal(page, attachment: bytes):
    page.fill("#id_title", "Streamlining technology release in security cooperation cases")
    page.check("label:has-text('Process') input[type=radio]")
    page.fill("#id_abstract", SAMPLE_ABSTRACT)
    page.fill("#id_keywords", "technology release, tiered review, metrics")
    fill_author(page, 0, "Jordan Ellis", "jordan.ellis@example.edu", "Example University", "Studies defense acquisition.")
    page.click("#add-author")
    fill_author(page, 1, "Casey Park", "casey.park@example.edu", "Example Institute", "Former case manager.")
    page.check("#author-list .author-card:nth-child(2) input[name=contact]")
    page.check("input[name=funding_requested][value=yes]")
    page.fill("#id_funding_amount", "8000")
    page.fill("#id_funding_justification", "Travel to archives and two interview trips.")
    page.set_input_files("#id_attachment", {"name": "outline.docx", "mimeType": DOCX, "buffer": attachment})
    page.check("#id_attest_unclassified")


def test_an_author_submits_and_an_editor_finds_it_with_its_screening(page, call, make_user):
    make_user("desk-editor", "editor", password="editor-password-1")

    page.goto(f"/calls/{call.slug}/")
    page.click("text=Submit a proposal >> nth=0")
    assert page.locator("h1").inner_text() == "Submit a chapter proposal"
    assert page.is_hidden("#id_funding_amount")  # shown only after "Yes"
    fill_proposal(page, word_file("Outline", "Section one: the Tiered Review process."))
    page.click("button:has-text('Submit proposal')")

    page.wait_for_selector("[data-testid=reference]")
    reference = page.inner_text("[data-testid=reference]")
    assert reference == "FMS-0001"
    assert "Jordan Ellis; Casey Park (contact)" in page.inner_text("dl.facts")
    proposal = Proposal.objects.get(reference=reference)
    assert proposal.contact_user.email == "casey.park@example.edu" and proposal.attachment.original_name == "outline.docx"

    page.goto("/accounts/login/")
    page.fill("#id_username", "desk-editor")
    page.fill("#id_password", "editor-password-1")
    page.click("button:has-text('Log in')")
    page.click("nav >> text=Editors' desk")
    page.fill("#f-q", "tiered review")  # a keyword: full-text search
    page.click("button:has-text('Apply')")
    page.click(f"a:has-text('{reference}')")

    assert page.inner_text("h1") == "Streamlining technology release in security cooperation cases"
    markings = page.inner_text("[data-testid=screening-markings]")
    assert "No classification or CUI markings found" in markings and "from the attachment" in markings
    assert "The chosen theme “Process” scores highest" in page.inner_text("[data-testid=screening-theme-fit]")
    assert "Nothing suggests it centres on a topic the call excludes" in page.inner_text("[data-testid=screening-scope]")
    assert "$8,000" in page.inner_text("dl.facts")
    assert "Submitted through the proposal form." in page.inner_text(".history")

    page.click("button:has-text('Start review')")
    assert "is now “Under review”" in page.inner_text(".messages")
    assert "Submitted → Under review" in page.inner_text(".history")

    page.click("button:has-text('Accept')")  # on the desk: the author still has to be told, by letter
    page.wait_for_selector("[data-testid=decision-letter]")
    assert "The author has not been told yet" in page.inner_text(".messages")
    assert "Letter to the author: draft" in page.inner_text("[data-testid=decision-letter]")
    page.click("a:has-text('Write and send the letter')")
    page.wait_for_selector("[data-testid=letter-preview]")


def test_a_marked_attachment_is_refused_and_the_typed_text_stays(page, call):
    page.goto(f"/calls/{call.slug}/propose/")
    fill_proposal(page, word_file("Background", "SECRET//NOFORN", "Analysis"))
    page.click("button:has-text('Submit proposal')")

    summary = page.inner_text("#form-errors")
    assert "nothing of it was saved" in summary
    assert "“SECRET//NOFORN” (classification marking with a control) in the attachment “outline.docx”, body, paragraph 2" in summary
    assert "Attach your file again" in summary
    assert page.input_value("#id_title") == "Streamlining technology release in security cooperation cases"
    assert page.input_value("#id_authors-1-name") == "Casey Park"
    assert page.is_checked("#author-list .author-card:nth-child(2) input[name=contact]")
    assert page.is_visible("#id_funding_amount") and page.input_value("#id_funding_amount") == "8000"
    assert Proposal.objects.count() == 0


def test_missing_fields_are_marked_inline_and_linked_from_the_summary(page, call):
    page.goto(f"/calls/{call.slug}/propose/")
    page.fill("#id_title", "A title only")
    page.click("button:has-text('Submit proposal')")
    page.wait_for_selector("#form-errors")  # count() does not wait for the answer to arrive
    assert page.locator(".field.has-error").count() >= 6
    page.click("#form-errors a:has-text('Abstract')")
    assert page.url.endswith("#id_abstract")  # the summary links straight to the field
    assert page.input_value("#id_title") == "A title only"
