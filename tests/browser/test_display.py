"""What a page looks like, checked in the browser: table headers break between words, never inside one (at 1280
and 390 px, on the chapters board and the desk list); the reviewer's table shows at 390 px that more columns lie
to the right; the selection and assignment pages keep headings in order and name every landmark uniquely.
Screenshots go to CHAPTERHOUSE_SHOTS when it names a folder."""

import pytest

from tests.browser.accounts import log_in
from tests.browser.test_clearance_flow import snap
from tests.selection.conftest import reviewed  # noqa: F401  (eight proposals in review, each with a review)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

# Each header cell whose text needs more room than the cell gives its longest word: a word broken across lines
# shows as a word wider than the cell's content box.
HEADERS_BROKEN_INSIDE_WORDS = """() => {
  const broken = [];
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
  for (const th of document.querySelectorAll('table.data thead th')) {
    const style = getComputedStyle(th);
    const box = th.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    // Words a sighted reader sees, one per text node (a <br> parts them); text kept for screen readers only
    // (visually hidden) takes no width.
    const words = [];
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (walker.currentNode.parentElement.closest('.visually-hidden')) continue;
      words.push(...walker.currentNode.textContent.split(/\\s+/).filter(Boolean));
    }
    th.appendChild(probe);
    for (const word of words) {
      probe.textContent = word;
      if (probe.getBoundingClientRect().width > box + 0.5) broken.push(`${th.innerText.trim()} (“${word}”)`);
    }
    probe.remove();
  }
  return broken;
}"""

# axe's best-practice rules for the page's outline, which the WCAG run of the page fixture leaves out.
OUTLINE_RULES = ["heading-order", "landmark-unique", "page-has-heading-one", "landmark-one-main"]


def _outline_violations(page):
    """Runs once the page fixture's own axe run on this page has finished (axe refuses two at once)."""
    for _ in range(40):
        try:
            return page.evaluate("""rules => axe.run(document, {runOnly: {type: 'rule', values: rules}})
                .then(r => r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join('; ')))""",
                                 OUTLINE_RULES)
        except Exception as error:  # playwright's Error: only "already running" is waited out
            if "Axe is already running" not in str(error):
                raise
            page.wait_for_timeout(250)
    raise AssertionError("axe was still running the page fixture's audit after 10 s")


def _headers_whole_at_both_widths(page, name):
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.locator("table.data thead th").count() > 0
        assert page.evaluate(HEADERS_BROKEN_INSIDE_WORDS) == [], f"{name} at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_board_and_desk_headers_break_between_words(page, call, make_user, make_proposal):
    from chapterhouse.chapters.start import start_chapter

    editor = make_user("desk-editor", "editor", password="editor-password-1")
    for index in range(3):
        author = make_user(f"writer{index}", "author")
        start_chapter(make_proposal(author, title=f"Partnership and offsets in arms transfers, part {index}"), editor)
    log_in(page, "desk-editor", "editor-password-1")
    page.goto("/chapters/board/")
    snap(page, "board")
    _headers_whole_at_both_widths(page, "chapters board")
    page.goto(f"/desk/calls/{call.slug}/proposals/")
    snap(page, "desk-list")
    _headers_whole_at_both_widths(page, "desk list")


def test_the_reviewers_table_shows_more_columns_to_the_right_on_a_phone(page, call, reviewed):  # noqa: F811
    log_in(page, "scorer")
    page.goto("/review/")
    frame = page.locator(".table-wrap").first
    hint = page.get_by_test_id("scroll-hint")
    assert not hint.is_visible()  # a wide screen shows every column
    snap(page, "reviewer-home")
    page.set_viewport_size({"width": 390, "height": 900})
    assert frame.evaluate("el => el.scrollWidth > el.clientWidth")  # columns lie beyond the frame's right edge
    assert hint.is_visible() and "More columns to the right" in hint.inner_text()
    shadows = frame.evaluate("el => getComputedStyle(el).backgroundImage")
    assert shadows.count("radial-gradient") == 2  # the edge shade that marks hidden columns
    page.set_viewport_size({"width": 1280, "height": 900})


def test_selection_and_assignment_pages_keep_headings_in_order_and_landmarks_unique(
        page, call, make_user, reviewed):  # noqa: F811
    make_user("desk-editor", "editor", password="editor-password-1")
    log_in(page, "desk-editor", "editor-password-1")
    page.goto(f"/selection/desk/calls/{call.slug}/")
    page.click("button:has-text('Run the selection')")
    page.click("button:has-text('Commit run 1 as draft decisions')")
    page.click("button:has-text('Run the selection')")
    assert page.locator("select#run-a").count() == 1  # two runs: the compare form and a run are on the page
    assert _outline_violations(page) == []
    snap(page, "selection")
    page.goto(f"/review/desk/calls/{call.slug}/assignment/")
    page.click("button:has-text('Run the assignment')")
    assert _outline_violations(page) == []
    snap(page, "assignment")
