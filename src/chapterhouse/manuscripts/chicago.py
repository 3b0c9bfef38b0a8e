"""Reads Chicago notes-bibliography citations: which notes are short, full or "Ibid.", and what entries name.

A shortened note is "Surname, Short Title, locator." (CMOS 17 §14.29–14.36): the author's surname, a title of
at most four words (in quotation marks for an article or chapter), and a page or other locator. A full note
carries publication facts — "(City: Publisher, Year)", "Journal 12, no. 3 (2019)", a URL or an access date —
which a shortened note never does; that is what marks a note as full. A bibliography entry starts with the
first author's surname ("Smith, John.") or an organisation ("U.S. Department of Defense."), and a 3-em dash
("———.") repeats the previous entry's author. Segments of a note that follow none of these forms are prose
(commentary), which notes may hold freely. Plain Python; no Django.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# A period that ends a name or a title, not an initial ("U.S.", "J. R.").
_END_PERIOD = r"(?<!\b[A-Z])\.(?=\s|$)"
_SIGNALS = re.compile(r"^(?:see also|see, e\.g\.,|see|cf\.|compare|e\.g\.,|for example,|quoted in|as cited in)\s+",
                      re.IGNORECASE)
_IBID = re.compile(r"^ibid\b\.?", re.IGNORECASE)
# Each form of publication facts, after the literals (lower case) it cannot match without: a note lacking all of
# them is not tested against the pattern (case-insensitive patterns get no literal prefix scan from ``re``, so
# the URL pattern alone cost 2 µs a note).
_FULL_FORM = [
    (("(",), re.compile(r"\([^()]{2,}:\s*[^()]+?,\s*(?:c\.\s*)?(?:1[5-9]|20)\d{2}\)")),  # (New York: Penguin, 2001)
    (("no.",), re.compile(r"\b\d+,\s*no\.\s*\d+\s*\([^()]*\d{4}\)")),  # Journal 12, no. 3 (2019)
    (("http", "www.", "doi"), re.compile(r"https?://|\bwww\.|\bdoi\.org/|\bdoi:", re.IGNORECASE)),
    (("accessed",), re.compile(r"\baccessed\s+(?:[A-Z][a-z]+\s+\d|\d)", re.IGNORECASE)),
]
_LOCATOR = r"(?:(?:\d+|[ivxlc]+)(?:\s*[–\-]\s*\d+)?(?:n\d+)?)(?:,\s*(?:\d+|[ivxlc]+)(?:\s*[–\-]\s*\d+)?)*"
_SHORT_NOTE = re.compile(
    r"^(?P<author>[A-Z][\w’'.\-]*(?:\s+(?:and\s+|&\s+|of\s+|the\s+|de\s+|van\s+|von\s+)?[A-Z][\w’'.\-]*){0,5}(?:\s+et al\.)?)"
    r",\s+(?P<title>“[^”]{1,200}”|\"[^\"]{1,200}\"|[^,“\"]{1,200}?)"
    rf"(?:,?\s*(?P<locator>{_LOCATOR}))?$"
)
_QUOTED = re.compile(r"“([^”]{1,300})”|\"([^\"]{1,300})\"")
_THREE_EM = re.compile(r"^(?:—{2,3}|-{3,}|_{3,})\s*[.,]?\s*")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


class Citation(NamedTuple):
    """One citation inside a note: ``kind`` is short, full, ibid or prose."""

    kind: str
    text: str
    author: str = ""
    title: str = ""

    @property
    def title_words(self) -> int:
        return len(self.title.split())


class Entry(NamedTuple):
    """A bibliography entry: ``author`` as written (or inherited from a 3-em dash), ``sort_key`` for order."""

    text: str
    author: str
    title: str
    sort_key: str

    @property
    def match_text(self) -> str:
        return f"{self.author} {self.title}"


def split_segments(text: str) -> list[str]:
    """A note's citations, separated by semicolons outside parentheses and quotation marks."""
    if ";" not in text:  # most notes cite one source: no character-by-character walk
        return [text.strip()] if text.strip() else []
    segments, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(text):
        if char in "(“":
            depth += 1
        elif char in ")”" and depth:
            depth -= 1
        elif char == '"':
            quoted = not quoted
        elif char == ";" and depth == 0 and not quoted:
            segments.append(text[start:index])
            start = index + 1
    segments.append(text[start:])
    return [s.strip() for s in segments if s.strip()]


def read_citation(segment: str) -> Citation:
    text = _SIGNALS.sub("", " ".join(segment.split())).strip()
    bare = text.rstrip(".").strip()
    if _IBID.match(bare):
        return Citation("ibid", text)
    lowered = text.lower()
    if any(pattern.search(text) for needs, pattern in _FULL_FORM if any(literal in lowered for literal in needs)):
        return Citation("full", text)
    match = _SHORT_NOTE.match(bare)
    if match:
        title = match.group("title").strip().strip("“”\"").strip().rstrip(",").strip()
        return Citation("short", text, match.group("author"), title)
    return Citation("prose", text)


def note_citations(text: str) -> list[Citation]:
    return [read_citation(segment) for segment in split_segments(text)]


def read_entry(text: str, previous_author: str = "") -> Entry:
    text = " ".join(text.split())
    dash = _THREE_EM.match(text)
    if dash:
        author, rest = previous_author, text[dash.end():]
    else:
        end = re.search(_END_PERIOD, text)
        author = text[: end.start()] if end else text
        rest = text[end.end():] if end else ""
    quoted = _QUOTED.search(rest[:400])
    if quoted and quoted.start() < 5:
        title = quoted.group(1) or quoted.group(2)
    else:
        end = re.search(_END_PERIOD, rest)
        title = rest[: end.start()] if end else rest
    return Entry(text, author.strip(), title.strip().rstrip(",.").strip(), sort_key(author))


def sort_key(author: str) -> str:
    """The first author's surname (or the organisation's name), folded for letter-by-letter comparison."""
    surname = author.split(",", 1)[0]
    folded = unicodedata.normalize("NFKD", surname).encode("ascii", "ignore").decode().lower()
    folded = _ARTICLE.sub("", folded.strip())
    return re.sub(r"[^a-z0-9]+", "", folded)
