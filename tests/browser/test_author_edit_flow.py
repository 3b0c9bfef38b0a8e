"""An author edits their proposal in the browser: the edit page, a refused marking, then a saved edit the editors
read as an earlier version (every page load is audited with axe, also at 390 px, by the page fixture)."""

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
