"""Review sessions clicked through: an editor plans one, puts a chapter on the programme with its presenter and
discussant chosen from the project's people, changes the presentation; the author uploads the draft; the
discussant logs in, finds the session and downloads the draft; the slot holding it cannot be removed. axe audits
each page at both widths."""

import pytest

from chapterhouse.chapters.start import start_chapter
from chapterhouse.outbox.models import Message
from chapterhouse.progress.models import Slot
from tests.browser.accounts import log_in
from tests.fixtures.files import word_file

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_an_editor_picks_participants_and_the_discussant_downloads_the_draft(page, call, make_user, make_proposal,
                                                                            tmp_path):
    author = make_user("jordan", "author", email="jordan.ellis@example.edu")
    discussant = make_user("casey", "reviewer", email="casey.park@example.org")
    discussant.first_name, discussant.last_name = "Casey", "Park"
    discussant.save()
    make_user("desk-editor", "editor", password="editor-password-1")
    chapter = start_chapter(make_proposal(author), author)

    log_in(page, "desk-editor", "editor-password-1")
    page.goto("/reviews/")
    page.click("text=Plan a session")
    page.fill("#id_title", "May reviews")
    page.fill("#id_starts_at", "2030-05-14T13:00")
    page.fill("#id_ends_at", "2030-05-14T16:00")
    page.fill("#id_drafts_due", "2030-05-01")
    page.click("button:has-text('Plan the session')")
    page.wait_for_selector("text=Add a presentation")

    page.select_option("#id_chapter", str(chapter.pk))
    page.select_option("#id_presenter_user", str(author.pk))
    page.click("button:has-text('Add to the programme')")
    page.wait_for_selector(f"h3:has-text('{chapter.title}')")

    page.click("text=Change this presentation")
    page.select_option("#id_discussant_user", label="Casey Park <casey.park@example.org>")
    page.click("button:has-text('Save the presentation')")
    page.wait_for_selector("text=Discussant: Casey Park")
    assert Message.objects.filter(to="casey.park@example.org", kind="review-session-details").exists()

    log_in(page, "jordan")
    page.goto("/reviews/")
    page.click("text=May reviews")
    draft = tmp_path / "jordan-draft.docx"
    draft.write_bytes(word_file("A first draft for the May reviews."))
    page.select_option("select[name=kind]", "draft")
    page.set_input_files("input[type=file]", str(draft))
    page.click("button:has-text('Upload')")
    page.wait_for_selector("text=Draft: jordan-draft.docx")

    log_in(page, "casey")
    page.goto("/reviews/")
    page.click("text=May reviews")
    page.wait_for_selector("text=You are the discussant for this presentation")
    assert page.locator("button:has-text('Upload')").count() == 0, "the discussant reads, never uploads"
    with page.expect_download() as download:
        page.click("text=Draft: jordan-draft.docx")
    assert open(download.value.path(), "rb").read()[:2] == b"PK"

    log_in(page, "desk-editor", "editor-password-1")
    page.goto("/reviews/")
    page.click("text=May reviews")
    page.wait_for_selector("text=Change this presentation")
    assert page.locator("button:has-text('Remove it from the programme')").count() == 0, "it holds the draft"
    assert Slot.objects.filter(discussant_user=discussant).exists()
