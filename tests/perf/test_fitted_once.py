"""The TF-IDF models are fitted once per thing they read, not per request: theme fit once per call's themes,
reviewer affinity once per set of proposals and expertise. A changed theme, proposal or expertise is refitted."""

import pytest

from chapterhouse.review import services
from chapterhouse.review.models import ReviewerProfile
from chapterhouse.screening import theme_fit

pytestmark = pytest.mark.django_db

THEMES = [("process", "Process", "case process reform tiered review"),
          ("industry", "Industry", "industrial base capacity offsets")]


@pytest.fixture
def fits(monkeypatch):
    """Counts the fits behind ``similarities`` (the vectorizer is imported where it is fitted), from empty caches."""
    from sklearn.feature_extraction import text

    count = []

    class Counting(text.TfidfVectorizer):
        def fit_transform(self, raw_documents, y=None):
            count.append(tuple(raw_documents))
            return super().fit_transform(raw_documents, y)

    monkeypatch.setattr(text, "TfidfVectorizer", Counting)
    theme_fit.fitted_model.cache_clear()
    services._affinity.cache_clear()
    yield count
    theme_fit.fitted_model.cache_clear()
    services._affinity.cache_clear()


def test_theme_fit_fits_the_call_s_themes_once(fits):
    first = theme_fit.rank_themes(THEMES, "tiered review reform of the case process", "process")
    second = theme_fit.rank_themes(THEMES, "offsets and industrial capacity", "process")
    assert first.best.slug == "process" and second.best.slug == "industry"
    assert len(fits) == 1
    edited = [THEMES[0], ("industry", "Industry", "workforce training")]
    assert theme_fit.rank_themes(edited, "offsets and industrial capacity", "process").best.slug != "industry"
    assert len(fits) == 2


@pytest.fixture
def reviewer_pair(make_user):
    release = make_user("rev-one", "reviewer")
    offsets = make_user("rev-two", "reviewer")
    ReviewerProfile.objects.create(user=release, keywords="technology release, tiered review", max_load=5,
                                   statement="Technology release and export policy.")
    ReviewerProfile.objects.create(user=offsets, keywords="offsets, industry", max_load=5,
                                   statement="Defense industry and offsets.")
    return release, offsets


def test_affinity_is_worked_out_once_until_a_proposal_or_an_expertise_changes(fits, call, make_proposal, people,
                                                                               reviewer_pair):
    make_proposal(people["author_a"])
    proposals = list(services.proposals_in_review(call))
    first = services.affinity_matrix(proposals, services.reviewers())
    again = services.affinity_matrix(proposals, services.reviewers())
    assert again == first and len(fits) == 1 + 1  # the proposal's own theme fit, then the affinity
    release, offsets = reviewer_pair
    assert first[(proposals[0].pk, release.pk)] > first[(proposals[0].pk, offsets.pk)]
    ReviewerProfile.objects.filter(user=offsets).update(keywords="technology release, tiered review, case process")
    changed = services.affinity_matrix(proposals, services.reviewers())
    assert len(fits) == 3 and changed[(proposals[0].pk, offsets.pk)] > first[(proposals[0].pk, offsets.pk)]
