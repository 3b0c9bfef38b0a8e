"""An author edits their proposal in the browser: the edit page, a refused marking, then a saved edit the editors
read as an earlier version; a chapter author's permission letter (every page load is audited with axe, also at 390 px, by the page fixture)."""

import pytest

from chapterhouse.proposals.models import Proposal
from tests.browser.accounts import log_in, log_out
from tests.browser.conftest import PHONE_WIDTH
from tests.conftest import SAMPLE_ABSTRACT

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_an_author_edits_their_proposal_and_the_editors_see_the_earlier_version(page, call, make_user, make_proposal):
    author = make_user("editing-author", "author")
    make_user("version-editor", "editor")
    proposal = make_proposal(author)
    log_in(page, "editing-author")
    page.goto(f"/my/proposals/{proposal.reference}/")
    page.click("text=Edit this proposal")
    page.fill("#id_title", "Faster technology release in security cooperation cases")
    page.fill("#id_abstract", f"{SAMPLE_ABSTRACT}\nSECRET//NOFORN")
    page.check("#id_attest_unclassified")
    page.click("button:has-text('Save the edit')")
    assert "Your edit was not saved" in page.inner_text("#form-errors")
    assert page.input_value("#id_title") == "Faster technology release in security cooperation cases"
    page.fill("#id_abstract", SAMPLE_ABSTRACT + " A closing section weighs the reforms against the backlog.")
    page.check("#id_attest_unclassified")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.screenshot(path="/tmp/author-edit-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("button:has-text('Save the edit')")
    assert "kept as version 1" in page.inner_text("main")
    page.screenshot(path="/tmp/author-proposal-1280.png", full_page=True)
    assert Proposal.objects.get(pk=proposal.pk).title == "Faster technology release in security cooperation cases"
    log_out(page)
    log_in(page, "version-editor")
    page.goto(f"/desk/proposals/{proposal.reference}/")
    page.click("text=Version 1")
    assert "Streamlining technology release" in page.inner_text("[data-testid=proposal-version]")


def test_an_author_uploads_a_permission_letter_on_the_chapter_page(page, call, make_user, make_proposal, tmp_path):
    from chapterhouse.chapters.models import PermissionRecord
    from chapterhouse.chapters.start import start_chapter
    from tests.fixtures.files import pdf_file

    author = make_user("letter-author", "author")
    chapter = start_chapter(make_proposal(author), make_user("letter-editor", "editor"))
    record = PermissionRecord.objects.create(chapter=chapter, material="Figure 2", rights_holder="A Press")
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(pdf_file("A Press grants permission to reprint Figure 2."))
    log_in(page, "letter-author")
    page.goto(f"/chapters/{chapter.pk}/")
    page.set_input_files(f"#letter-{record.pk}", str(letter))
    page.click("button:has-text('Upload the letter')")
    assert "awaiting the editors' confirmation" in page.inner_text("[data-testid=letter-awaiting]")
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.screenshot(path="/tmp/chapter-letter-390.png", full_page=True)
    record.refresh_from_db()
    assert record.status == "requested" and record.document_name == "letter.pdf"
