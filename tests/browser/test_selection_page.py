"""The selection page before any run, with proposals waiting for a pin or an exclusion, as an editor sees it: the
browser fixture audits it with axe and checks it for sideways scroll at 390 px. Each row's hidden label sat
outside its scrolling table frame and widened the page by 306 px on a phone."""

import pytest

from tests.browser.test_chapter_flow import log_in
from tests.selection.conftest import reviewed  # noqa: F401  (the proposals with reviews, ready to select)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_the_selection_page_with_proposals_to_mark_fits_a_phone(page, call, make_user, reviewed):  # noqa: F811
    make_user("desk-editor", "editor", password="editor-password-1")
    log_in(page, "desk-editor", "editor-password-1")
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"/selection/desk/calls/{call.slug}/")
    assert page.locator("table.data tbody tr").count() == len(reviewed)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_run_short_of_the_minimums_shows_the_selection_and_what_would_close_each_shortfall(
        page, call, make_user, reviewed):  # noqa: F811
    """Each theme asks for 3 chapters and has 2 proposals: the run still selects, names each shortfall and what
    would close it; the decision page then shows each theme's quota without and with the proposal accepted."""
    make_user("desk-editor", "editor", password="editor-password-1")
    log_in(page, "desk-editor", "editor-password-1")
    page.goto(f"/selection/desk/calls/{call.slug}/")
    page.click("button:has-text('Run the selection')")
    shortfall = page.get_by_test_id("selection-shortfall")
    assert shortfall.is_visible()
    assert "Short of the minimums by 4 chapters" in shortfall.inner_text()
    assert "Law and Policy: 2 of at least 3. What would close it:" in shortfall.inner_text()
    assert "Open a second call for “Law and Policy” to find 1 more chapter." in shortfall.inner_text()
    assert page.locator(".messages, [role=status], [role=alert]").first.is_visible()
    page.screenshot(path="/tmp/selection-shortfall.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 900})
    page.screenshot(path="/tmp/selection-shortfall-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    page.click("button:has-text('Commit run 1 as draft decisions')")
    state = page.get_by_test_id("decisions-state")
    assert "Law and Policy: accepted 2 of 3–5 (1 short)" in state.inner_text()
    page.screenshot(path="/tmp/decisions-state.png", full_page=True)
    page.goto(f"/selection/desk/proposals/{reviewed[0].reference}/decision/")
    rules = page.get_by_test_id("decision-rules")
    mine = rules.locator("tr", has_text="(its theme)")
    assert "law and policy" in mine.inner_text().lower() and "2 (1 short)" in mine.inner_text()
    page.screenshot(path="/tmp/decision-rules.png", full_page=True)
