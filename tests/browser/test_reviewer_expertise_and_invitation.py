"""An editor enters a new reviewer's expertise; the reviewer, from the invitation link, declines it after logging
in; the editor sees the answer."""

import pytest

from chapterhouse.review.models import ReviewerProfile
from chapterhouse.review.services import invite_reviewer
from tests.browser.accounts import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_expertise_entered_and_the_invitation_answered(page, call, make_user):
    editor = make_user("expertise-editor", "editor")
    invite_reviewer(email="rae@example.org", name="Rae Vance", affiliation="", by=editor, base_url="http://testserver")
    rae = ReviewerProfile.objects.get(user__email="rae@example.org").user
    rae.set_password("rae-password-123")
    rae.save()

    log_in(page, "expertise-editor")
    page.goto("/review/desk/reviewers/")
    assert "None yet: matches no proposal" in page.inner_text("table")
    page.click("a:has-text('Enter expertise')")
    page.fill("#id_keywords", "offsets, coproduction")
    page.fill("#id_max_load", "50")
    page.click("button:has-text('Save expertise')")
    assert "Give a number from 1 to 40." in page.inner_text(".form-errors-summary")
    page.fill("#id_max_load", "4")
    page.click("button:has-text('Save expertise')")
    assert "offsets, coproduction" in page.inner_text("table")

    page.click("button:has-text('Log out')")
    page.goto("/review/invitation/")  # the link in the mail: log in first, then the page
    page.fill("#id_username", "rae@example.org")
    page.fill("#id_password", "rae-password-123")
    page.click("button:has-text('Log in')")
    assert call.title in page.inner_text("h1")
    page.fill("#invitation-note", "On leave until June.")
    page.click("button:has-text('Decline the invitation')")
    assert "declined" in page.inner_text("[data-testid=invitation-answer]")
    page.screenshot(path="/tmp/reviewer-invitation.png", full_page=True)

    log_in(page, "expertise-editor")
    page.goto("/review/desk/reviewers/")
    assert "Invitation declined" in page.inner_text("table") and "On leave until June." in page.inner_text("table")
    page.screenshot(path="/tmp/reviewers-list.png", full_page=True)
