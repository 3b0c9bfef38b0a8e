"""Reads what a reviewer may have of a Word attachment into a :class:`~.blind_model.BlindDocument`.

Only what prints in the body, its tables, its footnotes and endnotes is read: paragraph text as Word shows it
with tracked changes accepted (no deleted or hidden text, no field codes, only the alternate content Word
shows), whether a paragraph is a heading, title, caption or quotation, bold and italic, note references, text
boxes (after the paragraph holding them) and pictures (their pixels, :mod:`.blind_images`). Each paragraph's
text has the authors replaced by "[author]" (:func:`~.redaction.redact_texts`). Everything else of the package
is never looked at, so it cannot reach the copy. The package is opened with the checker's safe opener (size,
entry, XML and time limits; no DTDs, entities or network). Plain Python; no Django.
"""

from __future__ import annotations

import re

from lxml import etree

from chapterhouse.ooxml import namespaces as ns
from chapterhouse.ooxml.formats import WordFile, open_word
from chapterhouse.ooxml.package import OoxmlPackage, PackageError
from chapterhouse.ooxml.reader import (
    BLOCK_QUOTE_STYLES, CAPTION_STYLES, HEADING_STYLE, TITLE_STYLES, _shown_branch,
)
from chapterhouse.ooxml.styles import Props, Styles, on, paragraph_props, run_props
from chapterhouse.review.blind_images import NotAPicture, fresh_picture
from chapterhouse.review.blind_model import (
    BODY, CAPTION, HEADINGS, NOTE_TEXT, QUOTE, TITLE, BlindDocument, Block, NoteMark, Paragraph, Picture, Table, Text,
)
from chapterhouse.review.redaction import redact_texts

w = ns.w
P, R, T, TBL, TR, TC = w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc")
SDT, SDT_CONTENT, PPR, RPR = w("sdt"), w("sdtContent"), w("pPr"), w("rPr")
SHOWN_CONTAINERS = {w("hyperlink"), w("smartTag"), w("customXml"), SDT_CONTENT, w("dir"), w("bdo"), w("ins"),
                    w("moveTo"), w("fldSimple")}
DELETED = {w("del"), w("moveFrom")}
ALTERNATE, CHOICE, FALLBACK = f"{{{ns.MC}}}AlternateContent", f"{{{ns.MC}}}Choice", f"{{{ns.MC}}}Fallback"
MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
MATH_CONTAINERS = {f"{{{MATH}}}oMath", f"{{{MATH}}}oMathPara"}
WHITESPACE = {w("tab"): "\t", w("ptab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-"}
NOTE_REFERENCES = {w("footnoteReference"): "footnote", w("endnoteReference"): "endnote"}
GRAPHICS = {w("drawing"), w("pict"), w("object")}
BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"
IMAGE_DATA = f"{{{ns.VML}}}imagedata"
GRAPHIC_DATA = "{http://schemas.openxmlformats.org/drawingml/2006/main}graphicData"
DRAWN_KINDS = {"/chart": "a chart (Word draws it from data the copy does not carry)",
               "/diagram": "a SmartArt diagram", "/chartex": "a chart (Word draws it from data the copy does not carry)"}
TXBX_CONTENT = w("txbxContent")
R_EMBED, R_ID = f"{{{ns.R}}}embed", f"{{{ns.R}}}id"
SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}
EMU_PER_PIXEL = 9525  # at 96 dpi
MAX_WIDTH_EMU = 6 * 914400  # six inches: a picture wider than the page is shrunk to fit
MAX_NESTING = 16  # tables in tables, text boxes in text boxes: deeper is cut


def read_blind_document(data: bytes, authors: re.Pattern | None, opened: WordFile | None = None) -> BlindDocument:
    """The reviewer's copy's content; raises PackageError when the file cannot be opened safely.

    ``opened`` is ``data`` as already opened (and partly parsed) by another reader, intake's screening: its
    parsed parts are read again here under a budget of this reader's own, as if the bytes were opened anew."""
    word = opened.fresh_budget() if opened is not None else open_word(data)
    return _BlindReader(word.package, word.main_part, authors).read()


class _BlindReader:
    def __init__(self, package: OoxmlPackage, main: str, authors: re.Pattern | None):
        self.package, self.main, self.authors = package, main, authors
        self.copy = BlindDocument()
        self.notes: dict[str, dict[str, etree._Element]] = {}  # footnote/endnote → id → element
        self.note_parts: dict[str, str] = {}
        self.cited: dict[tuple[str, str], int] = {}  # (kind, id in the file) → number in the copy
        self.pictures: dict[str, int] = {}  # image part → index in the copy
        self.in_note = False  # a note cited from inside a note is not carried (Word does not allow it either)

    def read(self) -> BlindDocument:
        rels = self._targets(self.main)
        by_type = {rel.type: rel.target for rel in self.package.relationships(self.main) if not rel.external}
        self.styles = Styles.read(self._optional(by_type.get(ns.REL_STYLES)), None, self.package.derived)
        for kind, rel_type in (("footnote", ns.REL_FOOTNOTES), ("endnote", ns.REL_ENDNOTES)):
            root = self._optional(by_type.get(rel_type))
            self.note_parts[kind] = by_type.get(rel_type, "")
            self.notes[kind] = {} if root is None else {
                note.get(w("id"), ""): note for note in root.iter(w(kind)) if note.get(w("type"), "normal") not in SEPARATORS}
        body = self.package.xml(self.main).find(w("body"))
        if body is not None:
            self.copy.blocks = self._blocks(body, rels, None, 0)
        return self.copy

    def _optional(self, part: str | None) -> etree._Element | None:
        if not part or not self.package.has(part):
            return None
        try:
            return self.package.xml(part)
        except PackageError as error:
            if error.code != "xml-malformed":
                raise
            self.copy.left_out.append(f"{part}, which is damaged")
            return None

    def _targets(self, part: str) -> dict[str, str]:
        return {rel.id: rel.target for rel in self.package.relationships(part) if not rel.external}

    # -- blocks ---------------------------------------------------------------------------------------

    def _blocks(self, container: etree._Element, rels: dict[str, str], table_style: str | None, depth: int) -> list[Block]:
        blocks: list[Block] = []
        if depth > MAX_NESTING:
            return blocks
        for child in self._shown_children(container):
            if child.tag == P:
                blocks += self._paragraph(child, rels, table_style, depth)
            elif child.tag == TBL:
                blocks.append(self._table(child, rels, depth))
            elif child.tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    blocks += self._blocks(content, rels, table_style, depth + 1)
            elif child.tag in SHOWN_CONTAINERS:
                blocks += self._blocks(child, rels, table_style, depth + 1)
        return blocks

    def _shown_children(self, element: etree._Element):
        """Children, with mc:AlternateContent replaced by the branch Word shows."""
        for child in element:
            if child.tag == ALTERNATE:
                branches = [b for b in child if b.tag in (CHOICE, FALLBACK)]
                if branches:
                    yield from self._shown_children(_shown_branch(branches))
            elif isinstance(child.tag, str):
                yield child

    def _table(self, table: etree._Element, rels: dict[str, str], depth: int) -> Table:
        properties = table.find(w("tblPr"))
        style = properties.find(w("tblStyle")) if properties is not None else None
        table_style = style.get(w("val")) if style is not None else self.styles.default_table_style
        rows = []
        for row in self._shown_children(table):
            if row.tag != TR:
                continue
            cells = [self._blocks(cell, rels, table_style, depth + 1) or [Paragraph()]
                     for cell in self._shown_children(row) if cell.tag == TC]
            if cells:
                rows.append(cells)
        return Table(rows or [[[Paragraph()]]])

    def _paragraph(self, element: etree._Element, rels: dict[str, str], table_style: str | None, depth: int) -> list[Block]:
        direct = paragraph_props(element.find(PPR))
        ppr, run_base = self.styles.paragraph_formatting(direct, table_style)
        walk = _Inline(self, rels, run_base)
        walk.content(element, deleted=False)
        paragraph = Paragraph(self._style(ppr), walk.redacted_pieces())
        boxes = [block for box in walk.boxes for block in self._blocks(box, rels, table_style, depth + 1)]
        return [paragraph, *boxes]

    def _style(self, ppr: Props) -> str:
        name = self.styles.name(ppr.get("pStyle")).lower()
        heading = HEADING_STYLE.match(name)
        outline = ppr.get("outlineLvl")
        if name in TITLE_STYLES:
            return TITLE
        if heading or (isinstance(outline, int) and 0 <= outline <= 8):
            return HEADINGS[int(heading.group(1)) - 1 if heading else outline]
        if name in CAPTION_STYLES:
            return CAPTION
        if name in BLOCK_QUOTE_STYLES:
            return QUOTE
        return BODY

    # -- notes and pictures ---------------------------------------------------------------------------

    def note(self, kind: str, note_id: str) -> NoteMark | None:
        """The copy's mark for a note reference; the note's text is read the first time it is cited."""
        element = self.notes.get(kind, {}).get(note_id)
        if element is None or self.in_note:
            return None
        key = (kind, note_id)
        notes = self.copy.footnotes if kind == "footnote" else self.copy.endnotes
        if key not in self.cited:
            notes.append([])
            self.cited[key] = len(notes)
            self.in_note = True
            try:
                blocks = self._blocks(element, self._targets(self.note_parts[kind]), None, 1)
            finally:
                self.in_note = False
            for block in blocks:
                if isinstance(block, Paragraph):
                    block.style = NOTE_TEXT
            if blocks and isinstance(blocks[0], Paragraph) and blocks[0].pieces and isinstance(blocks[0].pieces[0], Text):
                first = blocks[0].pieces[0]  # the copy puts its own space after the note's number
                blocks[0].pieces[0] = Text(first.text.lstrip(), first.bold, first.italic)
            notes[self.cited[key] - 1] = blocks or [Paragraph(NOTE_TEXT)]
        return NoteMark(kind, self.cited[key])

    def picture(self, graphic: etree._Element, rels: dict[str, str]) -> Picture | None:
        ids = [blip.get(R_EMBED) for blip in graphic.iter(BLIP)] + [data.get(R_ID) for data in graphic.iter(IMAGE_DATA)]
        part = next((rels[i] for i in ids if i and i in rels), None)
        if part is None:
            return None
        if part not in self.pictures:
            try:
                image = fresh_picture(self.package.read(part))
            except (NotAPicture, PackageError):
                self.copy.left_out.append("a picture that is not a photograph or drawing in a common format, or is "
                                          "damaged or too large")
                self.pictures[part] = -1
            else:
                self.copy.images.append(image)
                self.pictures[part] = len(self.copy.images) - 1
        index = self.pictures[part]
        if index < 0:
            return None
        image = self.copy.images[index]
        width, height = _extent(graphic) or (image.width_px * EMU_PER_PIXEL, image.height_px * EMU_PER_PIXEL)
        if width > MAX_WIDTH_EMU:
            width, height = MAX_WIDTH_EMU, height * MAX_WIDTH_EMU // width
        return Picture(index, max(width, 1), max(height, 1))


def _extent(graphic: etree._Element) -> tuple[int, int] | None:
    extent = next(graphic.iter(EXTENT), None)
    try:
        return (int(extent.get("cx")), int(extent.get("cy"))) if extent is not None else None
    except (TypeError, ValueError):
        return None


class _Inline:
    """One paragraph's shown content: text with bold and italic, note marks, pictures, and its text boxes."""

    def __init__(self, reader: _BlindReader, rels: dict[str, str], run_base: Props):
        self.reader, self.rels, self.run_base = reader, rels, run_base
        self.pieces: list[Text | NoteMark | Picture] = []
        self.boxes: list[etree._Element] = []
        self.fields: list[bool] = []  # one entry per open complex field: True while reading its code

    def content(self, parent: etree._Element, deleted: bool) -> None:
        for child in self.reader._shown_children(parent):
            tag = child.tag
            if tag == R:
                self.run(child, deleted)
            elif tag in SHOWN_CONTAINERS:
                self.content(child, deleted)
            elif tag == SDT:
                inner = child.find(SDT_CONTENT)
                if inner is not None:
                    self.content(inner, deleted)
            elif tag in DELETED:
                self.content(child, True)  # read for its field marks only: a field may begin inside a deletion
            elif tag in MATH_CONTAINERS and not deleted:
                self.text("".join(t.text or "" for t in child.iter(f"{{{MATH}}}t")
                                  if not any(a.tag in DELETED for a in t.iterancestors())), False, False)

    def run(self, run: etree._Element, deleted: bool) -> None:
        rpr = run.find(RPR)
        formatting = self.reader.styles.run_formatting(self.run_base, run_props(rpr))
        hidden = deleted or bool(formatting["vanish"])
        bold = rpr is not None and rpr.find(w("b")) is not None and on(rpr.find(w("b")))
        italic = rpr is not None and rpr.find(w("i")) is not None and on(rpr.find(w("i")))
        for child in self.reader._shown_children(run):
            tag = child.tag
            if tag == w("fldChar"):
                self.field_mark(child.get(w("fldCharType"), ""))
            elif hidden or (self.fields and any(self.fields)):
                continue  # deleted, hidden or field code: not what Word shows
            elif tag == T:
                self.text(child.text or "", bold, italic)
            elif tag in WHITESPACE:
                self.text(WHITESPACE[tag], bold, italic)
            elif tag in NOTE_REFERENCES:
                mark = self.reader.note(NOTE_REFERENCES[tag], child.get(w("id"), ""))
                if mark is not None:
                    self.pieces.append(mark)
            elif tag in GRAPHICS:
                self.graphic(child)

    def field_mark(self, kind: str) -> None:
        if kind == "begin":
            self.fields.append(True)
        elif kind == "separate" and self.fields:
            self.fields[-1] = False
        elif kind == "end" and self.fields:
            self.fields.pop()

    def graphic(self, element: etree._Element) -> None:
        self.boxes += [box for box in element.iter(TXBX_CONTENT)
                       if next(box.iterancestors(TXBX_CONTENT), None) is None and _shown(box, element)]
        picture = self.reader.picture(element, self.rels)
        if picture is not None:
            self.pieces.append(picture)
            return
        for data in element.iter(GRAPHIC_DATA):
            kind = next((name for key, name in DRAWN_KINDS.items() if key in data.get("uri", "")), None)
            if kind:
                self.reader.copy.left_out.append(kind)

    def text(self, value: str, bold: bool, italic: bool) -> None:
        if value:
            self.pieces.append(Text(value, bold, italic))

    def redacted_pieces(self) -> list[Text | NoteMark | Picture]:
        """The pieces with every author's name, address and affiliation replaced across the texts it spans."""
        texts = [piece for piece in self.pieces if isinstance(piece, Text)]
        redacted = redact_texts([piece.text for piece in texts], self.reader.authors) if self.reader.authors else None
        if redacted is None:
            return self.pieces
        replaced = {id(piece): Text(new, piece.bold, piece.italic) for piece, new in zip(texts, redacted)}
        return [replaced.get(id(piece), piece) for piece in self.pieces
                if not (isinstance(piece, Text) and not replaced[id(piece)].text)]


def _shown(box: etree._Element, graphic: etree._Element) -> bool:
    """Whether a text box is in the branch of alternate content Word shows (Word keeps a copy in each branch)."""
    for ancestor in box.iterancestors():
        if ancestor is graphic:
            return True
        if ancestor.tag in (CHOICE, FALLBACK):
            alternate = ancestor.getparent()
            branches = [b for b in alternate if b.tag in (CHOICE, FALLBACK)]
            if _shown_branch(branches) is not ancestor:
                return False
    return True
