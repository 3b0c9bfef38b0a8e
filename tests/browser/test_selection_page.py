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
