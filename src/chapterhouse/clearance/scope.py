"""Amendment scope: which changes between the cleared and the amended chapter the security reviewer asked for.

The security reviewer records each required change as a passage of the cleared text (what must go or change;
empty for a pure addition) and the required wording. Every word change of the amended version is then either
inside an amended passage *and* made of the required wording, or it is flagged: nothing else may slip into an
amended version unnoticed. Positions are word indexes into one part ("body", "footnote 3") of the cleared text,
as the word diff gives them. Plain Python; no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from chapterhouse.manuscripts.diff import DELETE, EQUAL, INSERT, DocumentDiff

QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def normal(word: str) -> str:
    return word.translate(QUOTES).casefold()


def words(text: str) -> tuple[str, ...]:
    return tuple(normal(w) for w in text.split())


@dataclass(frozen=True)
class WordChange:
    """One change of the diff: the cleared part's words ``old_start:old_end`` became ``inserted``."""

    part: str
    old_start: int
    old_end: int
    removed: tuple[str, ...]
    inserted: tuple[str, ...]


@dataclass(frozen=True)
class Passage:
    """One amendment as the flagging sees it."""

    ident: object  # the amendment's id, handed back with each change it covers
    cleared: str  # the passage as cleared; "" when the amendment only adds text
    required: str  # the wording the reviewer requires there; "" to delete the passage
    part: str = ""  # limit to one part ("body", "footnote 3"); "" for anywhere


@dataclass(frozen=True)
class Assessed:
    change: WordChange
    passage: object | None  # the amendment that covers it, or None when the change is flagged

    @property
    def flagged(self) -> bool:
        return self.passage is None


def changes_meaning(removed: str, inserted: str) -> bool:
    """False for an editorial change (punctuation, capitals, or each word only respelt); True otherwise: a change
    a security reviewer should read after clearance."""
    from difflib import SequenceMatcher

    def bare(text: str) -> list[str]:
        return [w for w in ("".join(c for c in normal(word) if c.isalnum()) for word in text.split()) if w]

    old, new = bare(removed), bare(inserted)
    if old == new:
        return False
    if len(old) != len(new):
        return True
    return any(SequenceMatcher(None, a, b).ratio() < 0.8 or (a.isdigit() or b.isdigit()) for a, b in zip(old, new)
               if a != b)


def contains(sequence: Sequence[str], part: Sequence[str]) -> bool:
    """True when ``part`` occurs in ``sequence`` as consecutive words (the empty sequence always does)."""
    n = len(part)
    return n == 0 or any(tuple(sequence[i:i + n]) == tuple(part) for i in range(len(sequence) - n + 1))


def spans(haystack: Sequence[str], needle: Sequence[str]) -> list[tuple[int, int]]:
    n = len(needle)
    if not n:
        return []
    return [(i, i + n) for i in range(len(haystack) - n + 1) if tuple(haystack[i:i + n]) == tuple(needle)]


def _covers(passage: Passage, change: WordChange, cleared_words: Sequence[str]) -> bool:
    if passage.part and passage.part != change.part:
        return False
    inserted = tuple(normal(w) for w in change.inserted)
    if not contains(words(passage.required), inserted):
        return False
    if not passage.cleared.strip():  # a pure addition: only insertions of the required wording
        return not change.removed
    normalised = [normal(w) for w in cleared_words]
    return any(start <= change.old_start and change.old_end <= end
               for start, end in spans(normalised, words(passage.cleared)))


def assess(changes: Iterable[WordChange], cleared: dict[str, Sequence[str]],
           passages: Sequence[Passage]) -> list[Assessed]:
    """Each change with the amendment that covers it, or flagged (``passage`` None) when none does."""
    result = []
    for change in changes:
        part_words = cleared.get(change.part, ())
        cover = next((p.ident for p in passages if _covers(p, change, part_words)), None)
        result.append(Assessed(change, cover))
    return result


def unmet(passages: Sequence[Passage], amended: dict[str, Sequence[str]]) -> list[Passage]:
    """Amendments whose required wording is not in the amended text (in their part, or anywhere)."""
    missing = []
    for passage in passages:
        texts = [amended.get(passage.part, ())] if passage.part else list(amended.values())
        required = words(passage.required)
        if required and not any(contains([normal(w) for w in text], required) for text in texts):
            missing.append(passage)
        elif not required and passage.cleared.strip() and any(
                contains([normal(w) for w in text], words(passage.cleared)) for text in texts):
            missing.append(passage)  # a deletion whose passage is still there
    return missing


@dataclass
class Compared:
    """The word diff read for flagging: each change at its place in the cleared text, and both texts' words."""

    changes: list[WordChange] = field(default_factory=list)
    cleared: dict[str, list[str]] = field(default_factory=dict)
    amended: dict[str, list[str]] = field(default_factory=dict)


def compare(diff: DocumentDiff) -> Compared:
    """Reads :mod:`chapterhouse.manuscripts.diff`'s result: each story ("body", "footnote 3") becomes one run of
    words, and each run of deleted and inserted segments between equal ones one :class:`WordChange`."""
    result = Compared()
    for story in diff.stories():
        old: list[str] = result.cleared.setdefault(story.label, [])
        new: list[str] = result.amended.setdefault(story.label, [])
        for paragraph in story.paragraphs:
            removed: list[str] = []
            inserted: list[str] = []
            start = len(old)
            for segment in [*paragraph.segments, None]:  # None closes the paragraph's last change
                if segment is None or segment.kind == EQUAL:
                    if removed or inserted:
                        result.changes.append(WordChange(story.label, start, start + len(removed),
                                                         tuple(removed), tuple(inserted)))
                    removed, inserted = [], []
                    if segment is not None:
                        old += segment.text.split()
                        new += segment.text.split()
                    start = len(old)
                elif segment.kind == DELETE:
                    removed += segment.text.split()
                    old += segment.text.split()
                elif segment.kind == INSERT:
                    inserted += segment.text.split()
                    new += segment.text.split()
    return result
