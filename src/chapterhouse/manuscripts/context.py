"""What every rule reads: the document model, the call's rules and the word counts, computed once.

Plain Python; no Django.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chapterhouse.call.schema import CallDefinition, ManuscriptRules, Term
from chapterhouse.manuscripts.wordcount import WordCounts, count_words
from chapterhouse.ooxml.document import Manuscript


@dataclass(frozen=True)
class CheckRules:
    """The parts of a call the checker uses: the manuscript rules and the preferred terms."""

    manuscript: ManuscriptRules
    terminology: tuple[Term, ...] = ()

    @classmethod
    def of(cls, rules: CallDefinition | ManuscriptRules | CheckRules) -> CheckRules:
        if isinstance(rules, CheckRules):
            return rules
        if isinstance(rules, CallDefinition):
            return cls(rules.manuscript, tuple(rules.terminology))
        return cls(rules)


@dataclass
class Context:
    document: Manuscript
    rules: CheckRules
    filename: str = ""
    words: WordCounts = field(init=False)
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        self.words = count_words(self.document)

    def once(self, key: str, compute: Callable[[Context], Any]) -> Any:
        """A value several rules need (parsed notes, bibliography entries), computed by the first that asks."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]

    @property
    def manuscript_rules(self) -> ManuscriptRules:
        return self.rules.manuscript
