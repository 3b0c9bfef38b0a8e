"""What every rule reads: the document model, the call's rules and the word counts, computed once.

Plain Python; no Django, and no pydantic at run time: the rules may be the call file's validated models or
their plain copy from :mod:`chapterhouse.manuscripts.callrules`' cache, which read the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple

from chapterhouse.manuscripts.wordcount import WordCounts, count_words
from chapterhouse.ooxml.document import Manuscript

if TYPE_CHECKING:
    from chapterhouse.call.schema import CallDefinition, ManuscriptRules


class CheckRules(NamedTuple):
    """The parts of a call the checker uses: the manuscript rules and the preferred terms."""

    manuscript: Any  # ManuscriptRules, or the same fields as plain attributes
    terminology: tuple[Any, ...] = ()

    @classmethod
    def of(cls, rules: CallDefinition | ManuscriptRules | CheckRules) -> CheckRules:
        if isinstance(rules, CheckRules):
            return rules
        if hasattr(rules, "manuscript"):  # a CallDefinition
            return cls(rules.manuscript, tuple(rules.terminology))
        return cls(rules)

    def to_json(self) -> str:
        return json.dumps({"manuscript": self.manuscript.model_dump(mode="json"),
                           "terminology": [term.model_dump(mode="json") for term in self.terminology]})

    @classmethod
    def from_json(cls, text: str) -> CheckRules:
        data = json.loads(text)
        return cls(_plain(data["manuscript"]), tuple(_plain(term) for term in data["terminology"]))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return SimpleNamespace(**{key: _plain(item) for key, item in value.items()})
    return value


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
    def manuscript_rules(self):
        return self.rules.manuscript
