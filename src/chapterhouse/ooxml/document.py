"""The one model of a Word document that every check reads: its stories, their text, formatting and places.

Shaped like python-docx (``Manuscript.paragraphs``, ``.notes``, ``.comments``, each item knowing its
``location``) but built by :mod:`chapterhouse.ooxml.reader` straight from the XML, because python-docx drops
tracked insertions and has no notes. Following pandoc, the file is read once into this model; nothing
re-parses it. Text is kept in four streams per paragraph: what prints with all changes accepted (``text``),
deleted text, hidden text and field codes, so that counting reads only the first and screening reads all four.
Plain Python; no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from chapterhouse.ooxml.package import Relationship
from chapterhouse.ooxml.properties import DocumentProperties
from chapterhouse.screening.markings import TextBlock

EXCERPT_CHARS = 60
# East Asian characters Word counts one word each: CJK ideographs (with extensions and compatibility forms), kana
# (half-width too), bopomofo, and every full-width form, letters, digits and punctuation alike (、。「」，：).
# Hangul is not among them: Korean puts spaces between words and Word counts it by them. What this relies on is
# written out in :mod:`chapterhouse.manuscripts.wordcount`.
_EAST_ASIAN = ("\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u33ff\u3400-\u4dbf\u4e00-\u9fff"
               "\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe4f\uff01-\uff9f\uffe0-\uffe6\U00020000-\U0003134f")
_NO_BREAK_SPACES = "\u00a0\u2007\u202f"  # no-break, figure and narrow no-break space: they join, as in Word


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    """(any character needing care, a word piece), compiled on first use: the wide character classes take
    milliseconds to compile, which ``chapterhouse check`` should not pay for ASCII text."""
    return (re.compile(f"[{_EAST_ASIAN}{_NO_BREAK_SPACES}]"),
            # One East Asian character, or a run of other non-space characters holding more than word joiners.
            re.compile(f"[{_EAST_ASIAN}]|\u2060*[^\\s{_EAST_ASIAN}\u2060][^\\s{_EAST_ASIAN}]*"))


def count_words(text: str) -> int:
    """Words as Word counts them: runs of characters between spaces, except that each East Asian character is a
    word of its own ("政策" is two words, "FMS政策" three, "政策。" three: the full-width stop too) and a no-break
    space joins rather than splits ("1 164" with a no-break space is one word, as Word counts it). Korean is
    counted by its spaces ("한국 국방부" is two words). See :mod:`chapterhouse.manuscripts.wordcount`."""
    if text.isascii():
        return len(text.split())
    needs_care, word_pieces = _patterns()
    if not needs_care.search(text):
        return len(text.split())
    for space in _NO_BREAK_SPACES:
        text = text.replace(space, "\u2060")  # a word joiner: not whitespace to the pattern below
    return len(word_pieces.findall(text))


def excerpt(text: str, width: int = EXCERPT_CHARS) -> str:
    short = " ".join(text[: width * 3].split())  # only the start is shown, so only the start is folded
    return short if len(short) <= width and len(text) <= width * 3 else short[: width - 1].rstrip() + "…"


class Location(NamedTuple):
    """Where something is, in words an author can follow: part, note or paragraph number, and an excerpt."""

    part: str  # "body", "footnote", "endnote", "comment", "header (header1.xml)", "text box in body", …
    paragraph: int | None = None  # 1-based within the part, or within the note or comment
    note: int | None = None  # footnote/endnote number as printed, comment number
    excerpt: str = ""

    @property
    def place(self) -> str:
        """Where, without the excerpt: "footnote 12, paragraph 1"."""
        where = f"{self.part} {self.note}" if self.note is not None else self.part
        return where + (f", paragraph {self.paragraph}" if self.paragraph is not None else "")

    def __str__(self) -> str:
        return f"{self.place}: “{self.excerpt}”" if self.excerpt else self.place

    def with_excerpt(self, text: str) -> Location:
        return Location(self.part, self.paragraph, self.note, excerpt(text))

    def as_dict(self) -> dict:
        return {"part": self.part, "paragraph": self.paragraph, "note": self.note, "excerpt": self.excerpt}


@dataclass(slots=True)
class Paragraph:
    location: Location
    style: str  # the style's name as Word shows it ("Heading 1", "Footnote Text")
    role: str  # body, heading, block_quote, caption, bibliography, table, note, comment, header, footer, text_box
    text: str  # the printed text with tracked changes accepted
    deleted: str = ""
    hidden: str = ""
    field_codes: str = ""
    line: int = 240  # effective w:spacing/@w:line (twentieths of a point, or 240ths of a line when auto)
    line_rule: str = "auto"
    sizes: dict[int, int] = field(default_factory=dict)  # font size in half-points → characters of text
    heading_level: int | None = None  # 0 for Heading 1, from the style name or outline level

    def words(self) -> int:
        return count_words(self.text)


class _NumberedStory:
    """A note or a comment: its paragraphs' text, and a location by its number."""

    __slots__ = ()
    part: str
    number: int | None
    paragraphs: list[Paragraph]

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def location(self) -> Location:
        return Location(self.part, note=self.number, excerpt=excerpt(self.text))


@dataclass(slots=True)
class Note(_NumberedStory):
    kind: str  # footnote or endnote
    id: str
    number: int | None  # as printed (order of reference); None when nothing in the text refers to it
    paragraphs: list[Paragraph]

    @property
    def part(self) -> str:
        return self.kind


@dataclass(slots=True)
class Comment(_NumberedStory):
    id: str
    number: int
    author: str
    initials: str
    date: str
    paragraphs: list[Paragraph]
    part = "comment"


@dataclass(slots=True)
class Story:
    """A header, a footer or the glossary: text that is in the file but not in the chapter's flow."""

    label: str
    part: str
    paragraphs: list[Paragraph]


@dataclass(slots=True)
class Table:
    """A table of the body: its cells' paragraphs (also in ``Manuscript.paragraphs``, with role "table")."""

    location: Location  # the paragraph number of its first cell's first paragraph
    style: str
    rows: list[list[list[Paragraph]]]  # rows → cells → paragraphs; a nested table's paragraphs are in its cell


class Revision(NamedTuple):
    kind: str  # insertion, deletion, move, formatting, paragraph mark
    author: str
    date: str
    location: Location


class Field(NamedTuple):
    code: str
    location: Location

    @property
    def name(self) -> str:
        return self.code.split(maxsplit=1)[0].upper() if self.code.strip() else ""


class EmbeddedThing(NamedTuple):
    """Something that is not text: an OLE object, an ActiveX control, an altChunk import, a macro project."""

    kind: str  # ole, activex, alt-chunk, macros
    detail: str
    location: Location


@dataclass
class Manuscript:
    paragraphs: list[Paragraph] = field(default_factory=list)  # the body, tables included, in order
    tables: list[Table] = field(default_factory=list)
    footnotes: list[Note] = field(default_factory=list)  # referenced ones, in printed order
    endnotes: list[Note] = field(default_factory=list)
    unreferenced_notes: list[Note] = field(default_factory=list)  # in the file, referred to by nothing
    comments: list[Comment] = field(default_factory=list)
    headers: list[Story] = field(default_factory=list)
    footers: list[Story] = field(default_factory=list)
    other_stories: list[Story] = field(default_factory=list)  # glossary (building blocks)
    text_boxes: list[Paragraph] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    embedded: list[EmbeddedThing] = field(default_factory=list)
    relationships: list[tuple[str, Relationship]] = field(default_factory=list)  # (source part, relationship)
    properties: DocumentProperties = field(default_factory=DocumentProperties)
    extra_text: list[TextBlock] = field(default_factory=list)  # alt text, unchosen alternate content, custom XML
    damaged_parts: list[tuple[str, str]] = field(default_factory=list)  # (part, what is wrong): read around
    unscreened: list[tuple[str, str]] = field(default_factory=list)  # (embedded file, why it could not be read)
    template: bool = False
    strict: bool = False

    @property
    def notes(self) -> list[Note]:
        return self.footnotes + self.endnotes

    def all_paragraphs(self) -> Iterator[Paragraph]:
        """Every paragraph of every story: body, notes, comments, headers, footers, text boxes, glossary."""
        yield from self.paragraphs
        for note in self.notes + self.unreferenced_notes:
            yield from note.paragraphs
        for comment in self.comments:
            yield from comment.paragraphs
        for story in self.headers + self.footers + self.other_stories:
            yield from story.paragraphs
        yield from self.text_boxes

    def located_text(self) -> Iterator[tuple[TextBlock, Location]]:
        """Every piece of text the file carries, shown or not, as a block for the marking scanner and its place
        (without an excerpt: a hit brings its own, and most blocks have none)."""
        for paragraph in self.all_paragraphs():
            where = paragraph.location
            for text, kind in ((paragraph.text, ""), (paragraph.deleted, " (deleted text)"),
                               (paragraph.hidden, " (hidden text)"), (paragraph.field_codes, " (field code)")):
                if text and not text.isspace():
                    place = Location(where.part + kind, where.paragraph, where.note)
                    yield TextBlock(text, place.place), place
        for prop in self.properties.properties:
            yield TextBlock(prop.value, prop.label), Location(prop.label)
        for block in self.extra_text:
            yield block, Location(block.location)

    def text_blocks(self) -> Iterator[TextBlock]:
        for block, _ in self.located_text():
            yield block
