"""Review to decision, clicked through: an editor invites a reviewer, who sets a password and states expertise
and a conflict; the editor pins a pair and runs the assignment; the reviewer reviews under double-blind and
sees no author identity anywhere; the editor selects under quotas, sends the letters, and the author reads
the decision in their account."""

import re

import pytest
from django.core import mail

from chapterhouse.chapters.models import Chapter
from chapterhouse.review.models import Review, ReviewAssignment, ReviewerProfile
from chapterhouse.selection.models import Decision
from chapterhouse.workflow.transitions import transition
from tests.browser.accounts import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

OFFSETS = ("This chapter studies industrial offsets demanded by partner nations in defense sales, how offset "
           "agreements shift work to partner industry, and what the U.S. defense industrial base gains and loses. "
           "It compares offset policies across three partners and proposes reporting that lets firms and "
           "governments weigh offsets against the price and schedule of a sale. Interviews with program offices "
           "and firms show where offset obligations slow delivery and where they build lasting partnerships.")


def test_invite_review_double_blind_select_and_notify(page, call, make_user, make_proposal):
    call.themes.exclude(slug="process").update(min_chapters=0, max_chapters=1)
    call.themes.filter(slug="process").update(min_chapters=1, max_chapters=1)
    make_user("desk-editor", "editor", password="editor-password-1")
    author_a = make_user("jordan", "author", email="jordan.ellis@example.edu", password="author-password-1")
    author_b = make_user("bailey", "author", email="bailey.brooks@offsets.example.org")
    chosen = make_proposal(author_a, title="Streamlining technology release in security cooperation cases")
    other = make_proposal(author_b, title="Offsets and the defense industrial base", abstract=OFFSETS)
    for name in ("Morgan", "Riley"):
        colleague = make_user(name.lower(), "reviewer", email=f"{name.lower()}@review-{name.lower()}.org")
        ReviewerProfile.objects.create(user=colleague, keywords="security cooperation, offsets, industry",
                                       statement="Defense trade and industry.", max_load=2)

    # The editor invites a reviewer by e-mail.
    log_in(page, "desk-editor", "editor-password-1")
    page.click("nav >> text=Editors' desk")
    page.click(".stage-links >> text=Reviewers")
    page.fill("#id_name", "Rae Vance")
    page.fill("#id_email", "rae.vance@example.net")
    page.fill("#id_affiliation", "Example Policy Institute")
    page.click("button:has-text('Send invitation')")
    page.wait_for_selector("text=Invitation sent to rae.vance@example.net")
    log_out(page)
    invitation = next(m for m in mail.outbox if m.to == ["rae.vance@example.net"])
    link = re.search(r"https?://[^/\s]+(/accounts/password/set/\S+)", invitation.body).group(1)

    # The reviewer sets a password, logs in, states expertise and a conflict with author B.
    page.goto(link)
    page.fill("#id_new_password1", "reviewer-password-1")
    page.fill("#id_new_password2", "reviewer-password-1")
    page.click("button:has-text('Save password')")
    log_in(page, "rae.vance@example.net", "reviewer-password-1")
    page.click("nav >> text=My reviews")
    page.click("text=state your expertise, conflicts and load")
    page.fill("#id_keywords", "technology release, tiered review, congressional notification")
    page.fill("#id_statement", "Former case manager; writes on technology release and the Tiered Review process.")
    page.fill("#id_max_load", "3")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Your expertise and load are saved")
    page.check("label:has-text('Co-authorship') input")
    page.fill("#id_conflict-name", "Bailey")
    page.click("button:has-text('Add conflict')")
    page.wait_for_selector("text=Conflict recorded")
    log_out(page)

    # The editor pins the new reviewer to proposal A, runs the assignment and applies it.
    log_in(page, "desk-editor", "editor-password-1")
    page.goto(f"/review/desk/calls/{call.slug}/assignment/")
    rae = ReviewerProfile.objects.get(user__email="rae.vance@example.net").user
    page.select_option("#pin-proposal", chosen.reference)
    page.select_option("#pin-reviewer", str(rae.pk))
    page.click("form:has(#pin-proposal) button:has-text('Save')")
    page.click("button:has-text('Run the assignment')")
    page.wait_for_selector("[data-testid=run-result]")
    assert "4 reviews" in page.inner_text("[data-testid=run-result]")
    page.click("button:has-text('Apply')")
    page.wait_for_selector("text=new assignments made")
    assert not ReviewAssignment.objects.filter(reviewer=rae, proposal=other).exists()  # the declared conflict
    log_out(page)

    # The reviewer reviews proposal A under double-blind: no author identity on any page.
    log_in(page, "rae.vance@example.net", "reviewer-password-1")
    page.click("nav >> text=My reviews")
    identity = ["Jordan", "jordan.ellis", "example.edu", "Example University"]
    for text in identity:
        assert text not in page.content()
    page.click(f"text={chosen.reference}")
    page.wait_for_selector("[data-testid=abstract]")
    for text in identity:
        assert text not in page.content(), text
    for key in ("fit", "contribution", "feasibility"):
        page.check(f"input[name=score_{key}][value='5']")
    page.check("input[name=recommendation][value=accept]")
    page.fill("#id_comments_to_author", "A clear plan; say more about the metrics.")
    page.fill("#id_comments_to_editors", "Strong; the author knows the process.")
    page.click("button:has-text('Send review to the editors')")
    page.wait_for_selector("text=your review of")
    log_out(page)

    # The other reviews arrive (two more reviewers, entered directly: this test is about the pages above).
    for item in ReviewAssignment.objects.exclude(reviewer=rae):
        value = 4 if item.proposal == chosen else 2
        Review.objects.create(assignment=item, scores={"fit": value, "contribution": value, "feasibility": value},
                              recommendation="accept" if value == 4 else "decline",
                              comments_to_author="Useful." if value == 4 else "Too broad for one chapter.")
        transition(item, "submitted", item.reviewer, {"reviewer"})

    # The editor selects under the quotas, decides, and sends the letters now.
    log_in(page, "desk-editor", "editor-password-1")
    page.goto(f"/selection/desk/calls/{call.slug}/")
    page.click("button:has-text('Run the selection')")
    page.wait_for_selector("[data-testid=run-1]")
    assert "quota 1–1" in page.inner_text("[data-testid=run-1]")
    page.click("button:has-text('Commit run 1')")
    page.wait_for_selector("text=draft decisions")
    assert Decision.objects.get(proposal=chosen).kind == "accept"
    page.goto(f"/selection/desk/proposals/{other.reference}/decision/")
    page.check("input[name=kind][value=decline]")
    page.fill("#id_internal_reason", "Internal: overlaps a chapter we commissioned.")
    page.fill("#id_author_message", "We could not fit a second chapter on offsets.")
    page.click("button:has-text('Save decision')")
    page.click("button:has-text('Send now to every author')")
    page.wait_for_selector("text=sent to every author")
    page.goto(f"/selection/desk/proposals/{chosen.reference}/decision/")
    assert "A clear plan; say more about the metrics." in page.inner_text("[data-testid=letter-preview]")
    page.click("button:has-text('Send now to every author')")
    page.wait_for_selector("[data-testid=letter]")
    log_out(page)
    assert Chapter.objects.filter(proposal=chosen).exists()
    declined = next(m for m in mail.outbox if other.reference in m.subject and "decision" in m.subject)
    assert "Internal: overlaps" not in declined.body and "second chapter on offsets" in declined.body

    # The author reads the decision in their account.
    log_in(page, "jordan", "author-password-1")
    page.goto(f"/my/proposals/{chosen.reference}/")
    page.click("text=Read the decision letter")
    letter = page.inner_text("[data-testid=decision-letter]")
    assert "delighted to accept" in letter and "A clear plan" in letter and "Rae" not in letter
