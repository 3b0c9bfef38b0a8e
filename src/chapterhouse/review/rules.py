"""The call file's optional ``[review]`` table: how proposals are reviewed. Plain Python; no Django.

Blindness, the rubric (criteria with a scale and what each end means), the recommendations a reviewer
chooses from (each with a value, so two reviewers' disagreement is a number), how many reviewers a proposal
gets, when reviews are due and how far apart two recommendations must be before the desk suggests a third
reviewer. Defaults make a call without the table a double-blind review with a simple rubric.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from chapterhouse.tomlschema import StrictModel

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Criterion(StrictModel):
    key: Key
    name: Text
    description: Text
    scale_min: int = 1
    scale_max: int = 5
    low: str = "Poor"
    high: str = "Excellent"

    @field_validator("scale_max")
    @classmethod
    def _above_min(cls, value: int, info) -> int:
        low = info.data.get("scale_min")
        if low is not None and value <= low:
            raise PydanticCustomError("range", "must be an integer > scale_min ({low})", {"low": low})
        return value


class Recommendation(StrictModel):
    key: Key
    label: Text
    value: int


DEFAULT_CRITERIA = [
    Criterion(key="fit", name="Fit with the call", description="Does it answer the theme's questions?"),
    Criterion(key="originality", name="Originality", description="Does it say something new?"),
    Criterion(key="feasibility", name="Feasibility", description="Can it be written well in time and length?"),
]
DEFAULT_RECOMMENDATIONS = [
    Recommendation(key="accept", label="Accept", value=4),
    Recommendation(key="accept_revisions", label="Accept with revisions", value=3),
    Recommendation(key="borderline", label="Borderline", value=2),
    Recommendation(key="decline", label="Decline", value=1),
]


def _unique_keys(items: list, what: str) -> list:
    keys = [item.key for item in items]
    for key in keys:
        if keys.count(key) > 1:
            raise PydanticCustomError("duplicate", "two {what} share the key {key!r}", {"what": what, "key": key})
    return items


class ReviewRules(StrictModel):
    blind: Literal["double", "single"] = "double"
    reviewers_per_proposal: Annotated[int, Field(ge=1, le=10)] = 2
    due_days: Annotated[int, Field(ge=1)] = 21
    default_max_load: Annotated[int, Field(ge=1)] = 6
    # Recommendations whose values differ by more than this suggest a third reviewer.
    disagreement_threshold: Annotated[int, Field(ge=0)] = 1
    criteria: Annotated[list[Criterion], Field(min_length=1)] = DEFAULT_CRITERIA
    recommendations: Annotated[list[Recommendation], Field(min_length=2)] = DEFAULT_RECOMMENDATIONS

    @field_validator("criteria")
    @classmethod
    def _unique_criteria(cls, criteria: list[Criterion]) -> list[Criterion]:
        return _unique_keys(criteria, "criteria")

    @field_validator("recommendations")
    @classmethod
    def _unique_recommendations(cls, recommendations: list[Recommendation]) -> list[Recommendation]:
        return _unique_keys(recommendations, "recommendations")

    @property
    def double_blind(self) -> bool:
        return self.blind == "double"

    def recommendation(self, key: str) -> Recommendation | None:
        return next((r for r in self.recommendations if r.key == key), None)
