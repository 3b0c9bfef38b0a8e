"""Flags proposals that centre on something the call excludes, with the passages that show it.

Advice for the editors, never a refusal: a chapter on FMS may mention direct commercial sales in passing, and
the DSCU call itself asks about integrating Title 10- and Title 22-funded activities. A topic is flagged only
when the text *centres* on it: it is named in the title, or in at least three sentences, or in at least two
sentences that make up a quarter or more of the text. Plain Python; no Django.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

MIN_SENTENCES = 3
MIN_SHARE = 0.25
MAX_PASSAGES = 5

_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]*[A-Z0-9])|\n+")


@dataclass(frozen=True)
class ScopeFlag:
    topic: str
    in_title: bool
    sentences: int
    share: float
    passages: tuple[str, ...]

    def summary(self) -> str:
        where = "the title and " if self.in_title else ""
        return f"{self.topic}: {where}{self.sentences} sentence(s), {self.share:.0%} of the text"


def term_pattern(terms: Sequence[str]) -> re.Pattern:
    """Acronyms (all capitals) match case-sensitively so "DCS" is not found in "dcs" or "EDAs" by accident."""
    phrases = sorted(terms, key=len, reverse=True)
    pieces = [
        (re.escape(t) if t.isupper() else "(?i:" + re.escape(t).replace(r"\ ", r"\s+") + ")") for t in phrases
    ]
    return re.compile(r"(?<![\w-])(?:" + "|".join(pieces) + r")(?![\w-])")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def screen_scope(title: str, body: str, excluded: Sequence[tuple[str, Sequence[str]]]) -> list[ScopeFlag]:
    """``excluded`` pairs a topic with the phrases that name it; returns the topics the text centres on."""
    sentences = split_sentences(body)
    flags = []
    for topic, terms in excluded:
        pattern = term_pattern(terms)
        in_title = bool(pattern.search(title))
        matching = [s for s in sentences if pattern.search(s)]
        share = len(matching) / len(sentences) if sentences else 0.0
        if in_title or len(matching) >= MIN_SENTENCES or (len(matching) >= 2 and share >= MIN_SHARE):
            passages = ([title] if in_title else []) + matching
            flags.append(ScopeFlag(topic, in_title, len(matching), share, tuple(passages[:MAX_PASSAGES])))
    return flags
