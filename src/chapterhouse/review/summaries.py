"""What the reviews of each proposal say in brief (how many, which recommendations), for the selection page and
the desk's CSV export. The reviewers stay unnamed: only counts and recommendation labels leave this module."""

from __future__ import annotations

from dataclasses import dataclass, field

from chapterhouse.review.models import ReviewAssignment
from chapterhouse.review.states import OPEN, SUBMITTED


@dataclass
class ReviewSummary:
    assigned: int = 0  # open assignments: waiting or reviewed
    submitted: int = 0
    recommendations: list[str] = field(default_factory=list)

    @property
    def count_text(self) -> str:
        return f"{self.submitted} of {self.assigned}"

    @property
    def recommendations_text(self) -> str:
        return "; ".join(self.recommendations)


def review_summaries(proposals, rules) -> dict[int, ReviewSummary]:
    """By proposal pk, in one query; ``rules`` (the call's review rules) turn recommendation keys into labels."""
    found: dict[int, ReviewSummary] = {}
    rows = (ReviewAssignment.objects.filter(proposal__in=proposals, status__in=OPEN).order_by("pk")
            .values_list("proposal_id", "status", "review__recommendation"))
    for proposal_id, status, key in rows:
        summary = found.setdefault(proposal_id, ReviewSummary())
        summary.assigned += 1
        if status == SUBMITTED and key:
            summary.submitted += 1
            recommendation = rules.recommendation(key)
            summary.recommendations.append(recommendation.label if recommendation else key)
    return found
