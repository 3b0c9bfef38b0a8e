"""A full disk as a person meets it (issue 18 §4): the proposal form comes back filled in with the message, and
any other upload gets the 507 page listing what was typed; both pass axe like every page."""

import pytest

from chapterhouse.proposals.models import Proposal
from chapterhouse.web import storage
from tests.browser.accounts import log_in
from tests.browser.test_proposal_flow import fill_proposal
from tests.chapters.test_full_disk import FullDisk
from tests.fixtures.files import pdf_file, word_file

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_the_proposal_form_comes_back_filled_in_when_the_disk_is_full(page, call, monkeypatch):
    monkeypatch.setattr(storage, "os", FullDisk())
    page.goto(f"/calls/{call.slug}/propose/")
    fill_proposal(page, word_file("Outline", "Section one: the Tiered Review process."))
    page.click("button:has-text('Submit proposal')")
    page.wait_for_selector("text=cannot store files at the moment")
    assert page.input_value("#id_title") == "Streamlining technology release in security cooperation cases"
    assert page.input_value("#id_authors-1-name") == "Casey Park"
    assert page.input_value("#id_funding_amount") == "8000"
    assert Proposal.objects.count() == 0


def test_another_upload_gets_the_page_that_gives_back_what_was_typed(page, call, make_user, make_proposal,
                                                                   monkeypatch):
    from chapterhouse.chapters.start import start_chapter

    editor = make_user("desk-editor", "editor")
    chapter = start_chapter(make_proposal(make_user("jordan", "author")), editor)
    log_in(page, "desk-editor")
    page.goto(f"/chapters/{chapter.pk}/records/")
    monkeypatch.setattr(storage, "os", FullDisk())
    page.click("summary:has-text('Add to “permissions')")
    page.fill("#id_permission-new-material", "Map of partner bases")
    page.fill("#id_permission-new-rights_holder", "Atlas Press")
    page.set_input_files("#id_permission-new-document",
                         {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": pdf_file("Granted.")})
    page.select_option("#id_permission-new-status", "granted")
    page.locator("#id_permission-new-material").evaluate("field => field.form.requestSubmit()")
    page.wait_for_selector("h1:has-text('The site cannot store files now')")
    assert "Map of partner bases" in page.inner_text("dl.typed-back")
    assert "Atlas Press" in page.inner_text("dl.typed-back")
