"""A call in review: proposals from two authors and two reviewers with expertise."""

import pytest


@pytest.fixture
def reviewer_pair(make_user):
    from chapterhouse.review.models import ReviewerProfile

    first = make_user("rev-one", "reviewer", email="rev.one@review-one.org")
    second = make_user("rev-two", "reviewer", email="rev.two@review-two.org")
    ReviewerProfile.objects.create(user=first, keywords="technology release, tiered review",
                                   statement="Technology release and export policy.", max_load=5)
    ReviewerProfile.objects.create(user=second, keywords="offsets, industry",
                                   statement="Defense industry and offsets.", max_load=5)
    return first, second
