"""The selection page shows each proposal's review count and recommendations; the desk's CSV export carries the
mean review score, the reviews and the decision."""

import csv
import io

import pytest
from django.urls import reverse

from chapterhouse.review.models import Review
from chapterhouse.review.states import SUBMITTED
from chapterhouse.workflow.transitions import transition
from tests.fixtures.review import review_world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(review_world, people):
    item = review_world["assignment"]
    Review.objects.create(assignment=item, scores={"fit": 5, "contribution": 4, "feasibility": 3},
                          recommendation="accept", comments_to_author="Good.")
    transition(item, SUBMITTED, people["reviewer"], {"reviewer"})
    return review_world["proposal"]


def test_the_selection_page_shows_review_count_and_recommendations(client, people, reviewed):
    from chapterhouse.proposals.states import UNDER_REVIEW

    if reviewed.status != UNDER_REVIEW:
        transition(reviewed, UNDER_REVIEW, people["editor"], {"editor"})
    client.force_login(people["editor"])
    page = client.get(reverse("selection_page", args=[reviewed.call.slug])).content.decode()
    row = page[page.index(f'>{reviewed.reference}</a>'):]
    row = row[:row.index("</tr>")]
    label = reviewed.call.definition.review.recommendation("accept").label
    assert 'data-testid="review-count">1 of 1<' in row and f'data-testid="recommendations">{label}<' in row
    assert "4.00" in row  # the mean of 5, 4, 3


def test_the_csv_export_has_scores_reviews_and_decisions(client, people, reviewed):
    client.force_login(people["editor"])
    response = client.get(reverse("desk_csv", args=[reviewed.call.slug]), {"sort": "reference"})
    table = list(csv.reader(io.StringIO(response.content.decode())))
    header, rows = table[0], {r[0]: dict(zip(table[0], r)) for r in table[1:]}
    assert header[-5:] == ["reviews in", "reviews assigned", "recommendations", "mean review score", "decision"]
    mine = rows[reviewed.reference]
    label = reviewed.call.definition.review.recommendation("accept").label
    assert (mine["reviews in"], mine["reviews assigned"], mine["recommendations"]) == ("1", "1", label)
    assert float(mine["mean review score"]) == 4.0 and mine["decision"] == "Accept"
    other = next(r for ref, r in rows.items() if ref != reviewed.reference)
    assert (other["reviews in"], other["mean review score"], other["decision"]) == ("0", "", "")
