"""A finding is data: which rule, how serious, what is wrong, where, and how to fix it.

Rules are small functions that yield :class:`Issue` (what they know); the checker stamps each with the rule's
id and category to make a :class:`Finding`. Plain Python; no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from chapterhouse.ooxml.document import Location

if TYPE_CHECKING:
    from chapterhouse.manuscripts.context import Context

CATEGORIES = ("format", "length", "spacing", "font", "citations", "terminology", "security", "sanitization")
SEVERITIES = ("error", "warning", "info")


class Issue(NamedTuple):
    severity: str
    message: str
    location: Location | None = None
    hint: str = ""


class Finding(NamedTuple):
    rule: str  # "spacing.body", "security.marking"
    category: str  # one of CATEGORIES
    severity: str  # one of SEVERITIES
    message: str
    location: Location | None
    hint: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "category": self.category, "severity": self.severity, "message": self.message,
                "location": self.location.as_dict() if self.location else None, "hint": self.hint}


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    run: Callable[[Context], Iterable[Issue]]

    def __post_init__(self):
        assert self.category in CATEGORIES, self.category

    def findings(self, context: Context) -> list[Finding]:
        return [Finding(self.id, self.category, issue.severity, issue.message, issue.location, issue.hint)
                for issue in self.run(context) if issue.severity in SEVERITIES]


def rule(rule_id: str) -> Callable[[Callable[[Context], Iterable[Issue]]], Rule]:
    """Decorator: ``@rule("length.range")`` turns a function into a Rule; the category is the id's first part."""

    def register(function: Callable[[Context], Iterable[Issue]]) -> Rule:
        return Rule(rule_id, rule_id.split(".", 1)[0], function)

    return register


def places(locations: Iterable[Location], shown: int = 3) -> str:
    """"body, paragraph 3: “…”; body, paragraph 7: “…” and 12 more" for a message listing where something is."""
    locations = list(locations)
    text = "; ".join(str(location) for location in locations[:shown])
    return text + (f" and {len(locations) - shown} more" if len(locations) > shown else "")
