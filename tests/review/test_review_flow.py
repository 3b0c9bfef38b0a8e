"""The review stage through its pages: invitation, profile and conflicts, assignment, a double-blind review,
declining, and the disagreement flag."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from chapterhouse.proposals.states import UNDER_REVIEW
from chapterhouse.review.models import AssignmentRun, ConflictDeclaration, ReviewAssignment

pytestmark = pytest.mark.django_db


def test_an_invitation_mails_a_set_password_link_to_the_stored_address_only(client, people, django_capture_on_commit_callbacks):
    client.force_login(people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review_invite"), {"name": "Rae Vance", "email": " Rae.Vance@Example.ORG ",
                                                          "affiliation": "Example Institute"})
    assert response.status_code == 302
    sent = [m for m in mail.outbox if "review" in m.subject.lower()]
    assert len(sent) == 1 and sent[0].to == ["rae.vance@example.org"]
    link = re.search(r"http://testserver(/accounts/password/set/\S+)", sent[0].body).group(1)
    client.logout()
    page = client.get(link, follow=True)
    assert page.status_code == 200 and b"new_password1" in page.content


def test_an_invitation_with_a_bad_address_is_named_and_nothing_is_sent(client, people):
    client.force_login(people["editor"])
    response = client.post(reverse("review_invite"), {"name": "X", "email": "not-an-address"})
    assert response.status_code == 400 and b"name@example.org" in response.content
    assert mail.outbox == []


def test_assignment_respects_a_declared_conflict_and_review_is_double_blind(
        client, people, call, make_proposal, make_user, reviewer_pair, django_capture_on_commit_callbacks):
    first, second = reviewer_pair
    author = make_user("jordan", "author", email="jordan.ellis@example.edu")
    proposal = make_proposal(author)
    ConflictDeclaration.objects.create(reviewer=second, kind="coauthor", name="Jordan")  # first name: jordan.title()
    client.force_login(people["editor"])
    client.post(reverse("review_assignment_run", args=[call.slug]))
    run = AssignmentRun.objects.get()
    assert run.result["status"] == "infeasible"  # 2 reviewers needed, only one eligible
    assert f"{proposal.reference} has 1 eligible reviewer; 2 are needed" in run.result["infeasible"]["reason"]
    page = client.get(reverse("review_assignment", args=[call.slug])).content.decode()
    assert "has 1 eligible reviewer" in page

    ConflictDeclaration.objects.all().delete()
    client.post(reverse("review_assignment_run", args=[call.slug]))
    run = AssignmentRun.objects.first()
    assert run.feasible and len(run.pairs) == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review_assignment_apply", args=[call.slug, run.pk]))
    proposal.refresh_from_db()
    assert proposal.status == UNDER_REVIEW
    assert {m.to[0] for m in mail.outbox if "New proposals to review" in m.subject} == {first.email, second.email}

    item = ReviewAssignment.objects.get(reviewer=first)
    client.force_login(first)
    page = client.get(reverse("review_form", args=[item.pk])).content.decode()
    assert proposal.title in page
    for secret in ("Jordan", "jordan.ellis", "example.edu", "Example University"):
        assert secret not in page, secret
    home = client.get(reverse("reviewer_home")).content.decode()
    assert proposal.reference in home and "Jordan" not in home

    data = {"score_fit": "5", "score_contribution": "4", "score_feasibility": "4", "recommendation": "accept",
            "comments_to_author": "A clear, useful chapter.", "comments_to_editors": "Strong."}
    assert client.post(reverse("review_form", args=[item.pk]), data).status_code == 302
    item.refresh_from_db()
    assert item.status == "submitted" and item.review.scores == {"fit": 5, "contribution": 4, "feasibility": 4}

    other = ReviewAssignment.objects.get(reviewer=second)
    client.force_login(second)
    assert client.post(reverse("review_form", args=[other.pk]), {**data, "recommendation": "decline"}).status_code == 302
    client.force_login(people["editor"])
    page = client.get(reverse("review_proposal_reviews", args=[proposal.reference])).content.decode()
    assert 'data-testid="disagreement"' in page


def test_a_reviewer_declines_with_a_reason_and_cannot_see_another_reviewers_assignment(
        client, call, make_proposal, people, reviewer_pair):
    from chapterhouse.review import services

    first, second = reviewer_pair
    proposal = make_proposal(people["author_a"])
    mine = services.add_reviewer(proposal, first, people["editor"])
    theirs = services.add_reviewer(proposal, second, people["editor"])
    client.force_login(first)
    assert client.get(reverse("review_form", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("review_decline", args=[mine.pk]), {"reason": ""}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == "assigned"
    client.post(reverse("review_decline", args=[mine.pk]), {"reason": "Travelling all month."})
    mine.refresh_from_db()
    assert mine.status == "declined"
    problem, _ = services.build_problem(call)
    assert [proposal.reference, services.reviewer_key(first)] in problem["forbidden"]


def test_a_reviewer_added_by_hand_is_checked_as_the_suggestions_are(client, call, make_proposal, make_user, people,
                                                                      reviewer_pair):
    """The page offers only eligible reviewers; a request naming another one (a stale page, a crafted form) is
    refused with the reason, and nothing is assigned."""
    first, second = reviewer_pair
    proposal = make_proposal(make_user("jordan", "author", email="jordan.ellis@example.edu"))
    ConflictDeclaration.objects.create(reviewer=second, kind="coauthor", name="Jordan")
    first.reviewer_profile.max_load = 0
    first.reviewer_profile.save()
    client.force_login(people["editor"])

    def add(reviewer) -> str:
        return client.post(reverse("review_add_reviewer", args=[proposal.reference]), {"reviewer": reviewer.pk},
                           follow=True).content.decode()

    assert f"cannot review {proposal.reference}: conflict of interest: declared" in add(second)
    assert f"cannot review {proposal.reference}: has no room: 0 open reviews, at most 0" in add(first)
    assert not ReviewAssignment.objects.filter(proposal=proposal).exists()

    first.reviewer_profile.max_load = 5
    first.reviewer_profile.save()
    assert "now reviews" in add(first)
    assert ReviewAssignment.objects.filter(proposal=proposal, reviewer=first).count() == 1
    assert f"cannot review {proposal.reference}: already reviews it" in add(first)


def test_a_reviewer_who_declined_the_invitation_is_given_no_new_work(client, call, make_proposal, make_user, people,
                                                                      reviewer_pair):
    """Declining is more than a note on the reviewers page: the solver gives the reviewer nothing new (what they
    already hold stays), and adding them by hand is refused with the reason."""
    from chapterhouse.proposals.states import UNDER_REVIEW
    from chapterhouse.review import invitation, services
    from chapterhouse.workflow.transitions import transition

    first, second = reviewer_pair
    proposal = make_proposal(make_user("jordan", "author", email="jordan.ellis@example.edu"))
    transition(proposal, UNDER_REVIEW, people["editor"], {"editor"})
    invitation.answer(first.reviewer_profile, first, accepted=False, note="On leave until June.")
    problem, _ = services.build_problem(call)
    loads = {r["id"]: r["max_load"] for r in problem["reviewers"]}
    assert loads[services.reviewer_key(first)] == 0 and loads[services.reviewer_key(second)] == 5

    client.force_login(people["editor"])
    page = client.post(reverse("review_add_reviewer", args=[proposal.reference]), {"reviewer": first.pk},
                       follow=True).content.decode()
    assert f"cannot review {proposal.reference}: declined the invitation to review" in page
    assert not ReviewAssignment.objects.filter(proposal=proposal, reviewer=first).exists()

    invitation.answer(first.reviewer_profile, first, accepted=True)  # they change their mind: the latest answer counts
    problem, _ = services.build_problem(call)
    assert {r["id"]: r["max_load"] for r in problem["reviewers"]}[services.reviewer_key(first)] == 5


def test_a_fair_run_is_exact_with_no_time_limit(call, make_proposal, people, reviewer_pair):
    """The fair level is a bisection over maximum flows and its total a transportation problem: proven
    optimal, so the web app asks for no time limit and never shows a run stopped at one."""
    from chapterhouse.review import services

    make_proposal(people["author_a"])
    problem, _ = services.build_problem(call, "fair")
    assert problem["objective"] == "fair" and "time_limit" not in problem
    run = services.run_assignment(call, people["editor"], "fair")
    assert run.result["status"] == "optimal"
