"""Proposals with submitted reviews, ready to select."""

import pytest


@pytest.fixture
def reviewed(call, make_proposal, make_user):
    """Eight proposals, two per theme, each with one submitted review scoring them 1–5 apart."""
    from chapterhouse.proposals.states import UNDER_REVIEW
    from chapterhouse.review.models import Review, ReviewAssignment, ReviewerProfile
    from chapterhouse.workflow.transitions import transition

    reviewer = make_user("scorer", "reviewer", email="scorer@review.org")
    ReviewerProfile.objects.create(user=reviewer, keywords="anything")
    editor = make_user("chief", "editor")
    proposals = []
    for index, theme in enumerate(t.slug for t in call.themes.all() for _ in range(2)):
        author = make_user(f"writer{index}", "author", email=f"writer{index}@uni{index}.edu")
        proposal = make_proposal(author, title=f"Chapter idea {index} on security cooperation", theme=theme)
        transition(proposal, UNDER_REVIEW, editor, {"editor"})
        item = ReviewAssignment.objects.create(proposal=proposal, reviewer=reviewer, due_on="2030-01-01", status="submitted")
        value = 5 - index % 2 * 2  # the first of each theme scores 5, the second 3
        Review.objects.create(assignment=item, scores={"fit": value, "contribution": value, "feasibility": value},
                              recommendation="accept", comments_to_author=f"Comment for author {index}.",
                              comments_to_editors="Editors only: internal remark.")
        proposals.append(proposal)
    return proposals
