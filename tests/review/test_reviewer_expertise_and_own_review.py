"""Editors enter a reviewer's expertise (on inviting them, or later, audited); a reviewer reads back their review."""

import pytest
from django.urls import reverse

from chapterhouse.review import services
from chapterhouse.review.models import ReviewerProfile
from chapterhouse.workflow.models import AuditEntry
from tests.fixtures.review import review_world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_keywords_given_with_the_invitation_are_the_new_reviewers_expertise(client, people):
    client.force_login(people["editor"])
    client.post(reverse("review_invite"), {"name": "Rae Vance", "email": "rae@example.org",
                                           "keywords": "offsets, coproduction"})
    profile = ReviewerProfile.objects.get(user__email="rae@example.org")
    assert profile.keywords == "offsets, coproduction"
    assert AuditEntry.objects.filter(object_id=profile.pk, action="Expertise entered by an editor").exists()


def test_an_editor_enters_expertise_which_raises_affinity_and_is_audited(client, people, call, make_proposal):
    proposal = make_proposal(people["author_a"], title="Offsets and coproduction after Ukraine", theme="industry",
                             abstract="Offsets and coproduction with allies expand the defense industrial base. " * 15)
    client.force_login(people["editor"])
    client.post(reverse("review_invite"), {"name": "Rae Vance", "email": "rae@example.org"})
    reviewer = ReviewerProfile.objects.get(user__email="rae@example.org").user
    from chapterhouse.proposals.states import UNDER_REVIEW
    from chapterhouse.workflow.transitions import transition
    transition(proposal, UNDER_REVIEW, people["editor"], {"editor"})
    before = services.build_problem(call)[1]["scores"].get((proposal.pk, reviewer.pk), 0)

    listing = client.get(reverse("review_reviewers")).content.decode()
    url = reverse("review_reviewer_expertise", args=[reviewer.pk])
    assert url in listing and "None yet: matches no proposal" in listing
    assert client.get(url).status_code == 200
    bad = client.post(url, {"keywords": "offsets", "statement": "", "max_load": "99"})
    assert bad.status_code == 400 and "Give a number from 1 to 40." in bad.content.decode()
    response = client.post(url, {"keywords": "offsets, coproduction, defense industrial base",
                                 "statement": "Twenty years on offsets.", "max_load": "4"})
    assert response.status_code == 302
    profile = ReviewerProfile.objects.get(user=reviewer)
    assert profile.keywords.startswith("offsets") and profile.max_load == 4
    entry = AuditEntry.objects.get(object_id=profile.pk, action="Expertise entered by an editor")
    assert entry.actor == people["editor"] and "keywords" in entry.reason
    after = services.build_problem(call)[1]["scores"].get((proposal.pk, reviewer.pk), 0)
    assert before == 0 and after > 0


def test_only_reviewers_have_an_expertise_page(client, people):
    client.force_login(people["editor"])
    assert client.get(reverse("review_reviewer_expertise", args=[people["author_a"].pk])).status_code == 404


def test_a_reviewer_reads_their_own_review_once_sent(client, people, review_world):
    item = review_world["assignment"]
    client.force_login(people["reviewer"])
    data = {"score_fit": "5", "score_contribution": "4", "score_feasibility": "3", "recommendation": "accept",
            "comments_to_author": "A clear, useful chapter.", "comments_to_editors": "Strong on sources."}
    assert client.post(reverse("review_form", args=[item.pk]), data).status_code == 302
    page = client.get(reverse("review_form", args=[item.pk])).content.decode()
    mine = page[page.index('data-testid="my-review"'):]
    for text in ("A clear, useful chapter.", "Strong on sources.", "5 of 5", "3 of 5"):
        assert text in mine, text


def test_the_invitation_names_the_call_and_links_to_an_accept_or_decline_page(
        client, people, call, django_capture_on_commit_callbacks):
    import re

    from django.core import mail

    client.force_login(people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review_invite"), {"name": "Rae Vance", "email": "rae@example.org"})
    sent = [m for m in mail.outbox if m.to == ["rae@example.org"]][0]
    assert call.title in sent.subject and call.title in sent.body
    answer_path = re.search(r"http://testserver(/\S*invitation/)", sent.body).group(1)
    assert answer_path == reverse("reviewer_invitation")

    client.logout()
    assert client.get(answer_path).url.startswith(reverse("login"))  # log-in required
    reviewer = ReviewerProfile.objects.get(user__email="rae@example.org").user
    client.force_login(reviewer)
    page = client.get(answer_path).content.decode()
    assert call.title in page and "You have not answered yet." in page
    client.post(answer_path, {"answer": "decline", "note": "On leave until June."})
    assert "declined" in client.get(answer_path).content.decode()
    entry = AuditEntry.objects.get(object_id=reviewer.reviewer_profile.pk, action="Invitation declined")
    assert entry.actor == reviewer and entry.reason == "On leave until June."
    client.post(answer_path, {"answer": "maybe"})
    assert AuditEntry.objects.filter(object_id=reviewer.reviewer_profile.pk, action__startswith="Invitation").count() == 1

    client.force_login(people["editor"])
    listing = client.get(reverse("review_reviewers")).content.decode()
    assert "Invitation declined" in listing and "On leave until June." in listing
