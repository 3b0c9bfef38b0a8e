"""An editor on the desk: a resubmitted proposal is flagged; several proposals are declined at once, after one
confirmation page that lists what moves and what cannot."""

import pytest

from chapterhouse.proposals.models import Proposal
from chapterhouse.proposals.states import UNDER_REVIEW
from chapterhouse.workflow.transitions import transition
from tests.browser.conftest import PHONE_WIDTH

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_an_editor_sees_a_duplicate_and_declines_two_proposals_at_once(page, call, make_user, make_proposal):
    editor = make_user("bulk-editor", "editor", password="editor-password-1")
    author = make_user("twice", "author")
    first = make_proposal(author, title="Faster technology release")
    again = make_proposal(author, title="Faster technology release")
    reviewed = make_proposal(make_user("other", "author"), title="Offsets and coproduction after Ukraine", theme="industry")
    transition(reviewed, UNDER_REVIEW, editor, {"editor"})

    page.goto("/accounts/login/")
    page.fill("#id_username", "bulk-editor")
    page.fill("#id_password", "editor-password-1")
    page.click("button:has-text('Log in')")
    page.click("nav >> text=Editors' desk")
    assert f"identical of {first.reference}" in page.inner_text(f"tr:has(a:has-text('{again.reference}'))")

    page.check(f"#pick-{again.reference}")
    page.check(f"#pick-{reviewed.reference}")
    page.click("button:has-text('Decline without review…')")
    assert again.reference in page.inner_text("[data-testid=bulk-movable]")
    assert f"{reviewed.reference}" in page.inner_text("[data-testid=bulk-refused]")
    assert Proposal.objects.get(pk=again.pk).status == "submitted"  # the confirmation page changes nothing
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.screenshot(path="/tmp/desk-bulk-confirm-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("#bulk-reason", f"Sent twice: the same proposal as {first.reference}.")
    page.click("button:has-text('Decline without review: 1 proposal')")

    assert f"1 proposal now “Declined”: {again.reference}." in page.inner_text(".messages")
    assert Proposal.objects.get(pk=again.pk).status == "declined"
    assert Proposal.objects.get(pk=reviewed.pk).status == UNDER_REVIEW
    assert "identical of" not in page.inner_text("table")  # the repeat is dealt with: no flag left
    page.screenshot(path="/tmp/desk-bulk-list.png", full_page=True)
