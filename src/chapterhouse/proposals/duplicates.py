"""Which proposals look like the same proposal sent twice. Plain Python; no Django.

Authors resubmit after a typo or a timeout, so the desk sees the same title and abstract under two references
(FMS-0003 and FMS-0005). Only proposals from the same contact e-mail are compared: two authors writing on one
topic are not duplicates. Near-duplicates (a word changed, punctuation fixed) are found with rapidfuzz.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

TITLE_SIMILARITY = 90.0  # percent, rapidfuzz token_sort_ratio after lower-casing and dropping punctuation
ABSTRACT_SIMILARITY = 85.0


@dataclass(frozen=True)
class Candidate:
    reference: str
    contact_email: str
    title: str
    abstract: str


@dataclass(frozen=True)
class DuplicateOf:
    """One other proposal this one repeats, and how closely ("identical" or "near-duplicate")."""

    reference: str
    kind: str
    title_similarity: float
    abstract_similarity: float


def _similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz, utils

    return fuzz.token_sort_ratio(a, b, processor=utils.default_process)


def find_duplicates(candidates: Iterable[Candidate]) -> dict[str, list[DuplicateOf]]:
    """For each reference that repeats another, the references it repeats (both sides are flagged)."""
    by_contact: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_contact[candidate.contact_email.strip().lower()].append(candidate)
    found: dict[str, list[DuplicateOf]] = defaultdict(list)
    for email, group in by_contact.items():
        if not email:
            continue
        for i, first in enumerate(group):
            for second in group[i + 1:]:
                title = _similarity(first.title, second.title)
                if title < TITLE_SIMILARITY:
                    continue
                abstract = _similarity(first.abstract, second.abstract)
                if abstract < ABSTRACT_SIMILARITY:
                    continue
                kind = "identical" if title == 100 and abstract == 100 else "near-duplicate"
                found[first.reference].append(DuplicateOf(second.reference, kind, round(title, 1), round(abstract, 1)))
                found[second.reference].append(DuplicateOf(first.reference, kind, round(title, 1), round(abstract, 1)))
    return dict(found)
