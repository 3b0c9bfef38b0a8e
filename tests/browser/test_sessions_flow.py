"""Review sessions clicked through by an editor: plan one, put a chapter on the programme, change the
presentation, take it off again; axe audits each page at both widths."""

import pytest

from chapterhouse.chapters.start import start_chapter
from chapterhouse.progress.models import Slot
from tests.browser.test_chapter_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_an_editor_plans_a_session_and_edits_its_programme(page, call, make_user, make_proposal):
    author = make_user("jordan", "author", email="jordan.ellis@example.edu")
    make_user("desk-editor", "editor", password="editor-password-1")
    chapter = start_chapter(make_proposal(author), author)

    log_in(page, "desk-editor", "editor-password-1")
    page.goto("/reviews/")
    page.click("text=Plan a session")
    page.fill("#id_title", "May reviews")
    page.fill("#id_starts_at", "2030-05-14T13:00")
    page.fill("#id_ends_at", "2030-05-14T16:00")
    page.click("button:has-text('Plan the session')")
    page.wait_for_selector("text=Add a presentation")

    page.select_option("#id_chapter", str(chapter.pk))
    page.fill("#id_presenter", "Jordan Ellis")
    page.click("button:has-text('Add to the programme')")
    page.wait_for_selector(f"h3:has-text('{chapter.title}')")

    page.click("text=Change this presentation")
    page.fill("#id_discussant", "Dr Casey Park")
    page.click("button:has-text('Save the presentation')")
    page.wait_for_selector("text=Discussant: Dr Casey Park")

    page.click("button:has-text('Remove it from the programme')")
    page.wait_for_selector("text=No presentations scheduled yet.")
    assert not Slot.objects.exists()
