"""Word-level differences between two versions of a chapter: the body paragraph by paragraph, and the notes
matched by their printed number (footnote 3 against footnote 3), so an editor sees what an author changed.

Both files are read through the one document model (:func:`chapterhouse.ooxml.reader.read_manuscript`), so the
text compared is what prints with tracked changes accepted, the same text the checker counts. Paragraphs are
aligned first (unchanged ones are matched whole), then the words of each changed pair are compared; a
paragraph with nothing in common with any other is an insertion or deletion whole. Plain Python; no Django.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from chapterhouse.ooxml.document import Manuscript, Paragraph
from chapterhouse.ooxml.package import Limits
from chapterhouse.ooxml.reader import read_manuscript

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
# Two paragraphs at the same place are "the same paragraph, edited" when this share of their words survives.
SIMILAR = 0.4


@dataclass(frozen=True)
class Segment:
    kind: str  # equal, insert, delete
    text: str


@dataclass
class ParagraphChange:
    """One paragraph of the old and/or new version; ``old``/``new`` are paragraph numbers (None when absent)."""

    old: int | None
    new: int | None
    segments: list[Segment]

    @property
    def changed(self) -> bool:
        return any(segment.kind != EQUAL for segment in self.segments)

    @property
    def kind(self) -> str:
        return INSERT if self.old is None else DELETE if self.new is None else "changed" if self.changed else EQUAL

    def words(self, kind: str) -> int:
        return sum(len(s.text.split()) for s in self.segments if s.kind == kind)


@dataclass
class StoryDiff:
    """The body, or one note (``part`` "footnote", ``number`` as printed)."""

    part: str
    number: int | None
    paragraphs: list[ParagraphChange]

    @property
    def label(self) -> str:
        return f"{self.part} {self.number}" if self.number is not None else self.part

    @property
    def changed(self) -> bool:
        return any(p.changed for p in self.paragraphs)

    @property
    def status(self) -> str:
        """"added" or "removed" for a note only one version has, else "changed" or "unchanged"."""
        kinds = {p.kind for p in self.paragraphs}
        if self.paragraphs and kinds == {INSERT}:
            return "added"
        if self.paragraphs and kinds == {DELETE}:
            return "removed"
        return "changed" if self.changed else "unchanged"


@dataclass
class DocumentDiff:
    old_name: str
    new_name: str
    body: StoryDiff
    notes: list[StoryDiff] = field(default_factory=list)

    def stories(self) -> Iterator[StoryDiff]:
        yield self.body
        yield from self.notes

    @property
    def changed(self) -> bool:
        return any(story.changed for story in self.stories())

    def words(self, kind: str) -> int:
        return sum(p.words(kind) for story in self.stories() for p in story.paragraphs)

    def as_dict(self) -> dict:
        return {
            "old": self.old_name, "new": self.new_name,
            "words": {"inserted": self.words(INSERT), "deleted": self.words(DELETE)},
            "stories": [{"part": s.part, "number": s.number, "status": s.status,
                         "paragraphs": [{"old": p.old, "new": p.new, "kind": p.kind,
                                         "segments": [[seg.kind, seg.text] for seg in p.segments]}
                                        for p in s.paragraphs if p.changed]}
                        for s in self.stories() if s.changed],
        }

    def render(self) -> str:
        """wdiff-style text: [-deleted-] and {+inserted+}, changed paragraphs only, each with its place."""
        lines = [f"--- {self.old_name}", f"+++ {self.new_name}",
                 f"{self.words(INSERT):,} words inserted, {self.words(DELETE):,} deleted"]
        if not self.changed:
            return "\n".join(lines + ["No differences in the text."]) + "\n"
        for story in self.stories():
            for change in (p for p in story.paragraphs if p.changed):
                lines.append(f"\n@ {story.label}, {_place(change)}")
                lines.append(" ".join(_marked(segment) for segment in change.segments))
        return "\n".join(lines) + "\n"


def diff_files(old: bytes | str | Path, new: bytes | str | Path, *, old_name: str = "", new_name: str = "",
               limits: Limits = Limits()) -> DocumentDiff:
    """Reads both files (``PackageError`` for a file that is not a readable .docx) and compares them."""
    return diff_documents(read_manuscript(old, limits), read_manuscript(new, limits),
                          old_name or _name(old, "old"), new_name or _name(new, "new"))


def diff_documents(old: Manuscript, new: Manuscript, old_name: str = "old", new_name: str = "new") -> DocumentDiff:
    body = StoryDiff("body", None, diff_paragraphs(old.paragraphs, new.paragraphs))
    old_notes = {(n.kind, n.number): n for n in old.notes}
    new_notes = {(n.kind, n.number): n for n in new.notes}
    order = sorted(set(old_notes) | set(new_notes), key=lambda key: (key[0] != "footnote", key[0], key[1] or 0))
    notes = [StoryDiff(kind, number,
                       diff_paragraphs(old_notes[(kind, number)].paragraphs if (kind, number) in old_notes else [],
                                       new_notes[(kind, number)].paragraphs if (kind, number) in new_notes else []))
             for kind, number in order]
    return DocumentDiff(old_name, new_name, body, notes)


def diff_paragraphs(old: Sequence[Paragraph], new: Sequence[Paragraph]) -> list[ParagraphChange]:
    old_text = [" ".join(p.text.split()) for p in old]
    new_text = [" ".join(p.text.split()) for p in new]
    changes: list[ParagraphChange] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old_text, new_text, autojunk=False).get_opcodes():
        if op == "equal":
            changes += [ParagraphChange(_number(old[i]), _number(new[j]), [Segment(EQUAL, old_text[i])])
                        for i, j in zip(range(i1, i2), range(j1, j2))]
        else:
            changes += _pair_block(old, new, old_text, new_text, range(i1, i2), range(j1, j2))
    return changes


def diff_words(old: str, new: str) -> list[Segment]:
    """The words of ``old`` and ``new`` as equal, deleted and inserted runs, in reading order."""
    a, b = old.split(), new.split()
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            segments.append(Segment(EQUAL if op == "equal" else DELETE, " ".join(a[i1:i2])))
        if op in ("insert", "replace") and j2 > j1:
            segments.append(Segment(INSERT, " ".join(b[j1:j2])))
    return segments


def _pair_block(old, new, old_text, new_text, olds: range, news: range) -> list[ParagraphChange]:
    """Within a run of differing paragraphs, pair each old one with the next similar new one, in order."""
    changes: list[ParagraphChange] = []
    i, j = olds.start, news.start
    while i < olds.stop or j < news.stop:
        if i < olds.stop and j < news.stop and _similar(old_text[i], new_text[j]):
            changes.append(ParagraphChange(_number(old[i]), _number(new[j]), diff_words(old_text[i], new_text[j])))
            i, j = i + 1, j + 1
        elif j < news.stop and (i >= olds.stop or any(_similar(old_text[i], new_text[k]) for k in range(j + 1, news.stop))):
            changes.append(ParagraphChange(None, _number(new[j]), _whole(INSERT, new_text[j])))
            j += 1
        else:
            changes.append(ParagraphChange(_number(old[i]), None, _whole(DELETE, old_text[i])))
            i += 1
    return changes


def _similar(a: str, b: str) -> bool:
    matcher = SequenceMatcher(None, a.split(), b.split(), autojunk=False)
    return matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR and matcher.ratio() >= SIMILAR


def _whole(kind: str, text: str) -> list[Segment]:
    return [Segment(kind, text)] if text else []


def _number(paragraph: Paragraph) -> int | None:
    return paragraph.location.paragraph


def _place(change: ParagraphChange) -> str:
    if change.old is None:
        return f"new paragraph {change.new}"
    if change.new is None:
        return f"paragraph {change.old} removed"
    return f"paragraph {change.new}" if change.old == change.new else f"paragraph {change.old} → {change.new}"


def _marked(segment: Segment) -> str:
    return {INSERT: "{+%s+}", DELETE: "[-%s-]"}.get(segment.kind, "%s") % segment.text


def _name(source, fallback: str) -> str:
    return fallback if isinstance(source, bytes) else str(source)
