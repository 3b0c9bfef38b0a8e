"""What a reviewer's copy of a Word attachment holds: text, notes, tables and pictures, and nothing else.

The blind copy is written from this model only (:mod:`.blind_docx_writer`), never from the author's package, so
whatever the model has no field for (properties, custom XML, settings, comments, authors of changes, alt text,
file names, embedded files) cannot reach a reviewer. Plain Python; no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The only paragraph styles a copy uses: the writer defines each of them itself.
BODY, TITLE, CAPTION, QUOTE, NOTE_TEXT = "Normal", "Title", "Caption", "Quote", "NoteText"
HEADINGS = tuple(f"Heading{level}" for level in range(1, 10))


@dataclass(frozen=True)
class Text:
    text: str  # tabs and line breaks as "\t" and "\n"
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class NoteMark:
    kind: str  # footnote or endnote
    number: int  # 1-based, in the order the copy cites them


@dataclass(frozen=True)
class Picture:
    number: int  # index into BlindDocument.images
    width_emu: int
    height_emu: int


@dataclass
class Paragraph:
    style: str = BODY
    pieces: list[Text | NoteMark | Picture] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces if isinstance(piece, Text))


@dataclass
class Table:
    rows: list[list[list[Paragraph | Table]]]  # rows → cells → blocks


Block = Paragraph | Table


@dataclass(frozen=True)
class Image:
    data: bytes
    extension: str  # png or jpeg
    width_px: int
    height_px: int


@dataclass
class BlindDocument:
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[list[Block]] = field(default_factory=list)  # note n is footnotes[n - 1]
    endnotes: list[list[Block]] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # what of the text could not be carried ("a picture in EMF")

    def located_paragraphs(self):
        """(where, paragraph) for every paragraph of the copy: "paragraph 3", "footnote 2"."""
        yield from _located(self.blocks, "paragraph", None)
        for kind, notes in (("footnote", self.footnotes), ("endnote", self.endnotes)):
            for number, note in enumerate(notes, start=1):
                yield from _located(note, kind, number)


def _located(blocks: list[Block], label: str, note: int | None):
    counter = 0
    pending = list(blocks)
    while pending:
        block = pending.pop(0)
        if isinstance(block, Table):
            pending[:0] = [inner for row in block.rows for cell in row for inner in cell]
            continue
        counter += 1
        yield (f"{label} {note}, paragraph {counter}" if note is not None else f"{label} {counter}"), block
