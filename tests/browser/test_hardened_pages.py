"""Issue 7 §8 in a real browser: focus after a failed submit, and the main pages fit a 360 px phone."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_after_a_failed_submit_focus_is_on_the_error_summary(page, call):
    page.goto(f"/calls/{call.slug}/propose/")
    page.click("main button[type=submit]")
    page.wait_for_selector("#form-errors")
    assert page.evaluate("() => document.activeElement.id") == "form-errors"


def test_call_form_and_desk_fit_a_360_px_phone(page, call, people, make_proposal, live_server):
    make_proposal(people["author_a"], title="A title with a_very_long_unbroken_identifier_" + "x" * 80)
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/accounts/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct-horse-battery")
    page.click("main button[type=submit]")
    page.wait_for_url("**/todo/")  # everyone lands on their to-do page
    for url in (f"/calls/{call.slug}/", f"/calls/{call.slug}/propose/", f"/desk/calls/{call.slug}/proposals/"):
        page.goto(url)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} is {overflow} px wider than a 360 px screen"
    bars = page.eval_on_selector_all(".chart-track", "tracks => tracks.map(t => t.getBoundingClientRect().width)")
    assert bars and min(bars) > 200  # the quota chart's bars keep their width on a phone
