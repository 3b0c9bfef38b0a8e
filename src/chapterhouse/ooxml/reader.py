"""Reads a .docx into a :class:`~chapterhouse.ooxml.document.Manuscript`, every story and every kind of text.

One walk over each story's XML sorts its text into what prints with changes accepted, deleted text (``w:del``,
``w:moveFrom``), hidden text (effective ``w:vanish``) and field codes (between a field's begin and separate
marks, and ``w:fldSimple/@w:instr``), resolves each paragraph's formatting through :mod:`.styles`, and notes
tracked changes, fields, text boxes, note references and embedded objects where they occur. Text boxes are read
once: from ``mc:Choice`` when there is one, else ``mc:Fallback``; the branch Word does not show is still kept
for the security scan. Parts that are not well-formed, other than the main document, are read around and
listed, so a damaged header does not hide the rest of the chapter. Plain Python; no Django.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from pathlib import Path

from lxml import etree

from chapterhouse.ooxml import namespaces as ns
from chapterhouse.ooxml.document import (
    Comment, EmbeddedThing, Field, Location, Manuscript, Note, Paragraph, Revision, Story, Table, excerpt,
)
from chapterhouse.ooxml.formats import WordFile, open_word
from chapterhouse.ooxml.package import Limits, PackageError, read_file
from chapterhouse.ooxml.package_text import drawing_text, embedded_office_text
from chapterhouse.ooxml.properties import read_properties
from chapterhouse.ooxml.styles import Props, Styles, paragraph_props, run_props
from chapterhouse.screening.markings import TextBlock

w = ns.w
P, R, T, TBL, TR, TC, SDT, SDT_CONTENT = w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc"), w("sdt"), w("sdtContent")
PPR, RPR, TBLPR = w("pPr"), w("rPr"), w("tblPr")
INS, DEL, MOVE_FROM, MOVE_TO = w("ins"), w("del"), w("moveFrom"), w("moveTo")
DEL_TEXT, INSTR_TEXT, DEL_INSTR_TEXT = w("delText"), w("instrText"), w("delInstrText")
FLD_CHAR, FLD_SIMPLE, FLD_TYPE = w("fldChar"), w("fldSimple"), w("fldCharType")
TAB, PTAB, BR, CR, NB_HYPHEN, SYM = w("tab"), w("ptab"), w("br"), w("cr"), w("noBreakHyphen"), w("sym")
FOOTNOTE_REF, ENDNOTE_REF = w("footnoteReference"), w("endnoteReference")
DRAWING, PICT, OBJECT, CONTROL, ALT_CHUNK = w("drawing"), w("pict"), w("object"), w("control"), w("altChunk")
TXBX_CONTENT = w("txbxContent")
WHITESPACE = {TAB: "\t", PTAB: "\t", BR: "\n", CR: "\n"}
GRAPHICS = {DRAWING, PICT, OBJECT, CONTROL}
ALTERNATE, CHOICE, FALLBACK = f"{{{ns.MC}}}AlternateContent", f"{{{ns.MC}}}Choice", f"{{{ns.MC}}}Fallback"
MATH_TEXT = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
MATH_CONTAINERS = {"{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath",
                   "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMathPara"}
OLE_OBJECT = f"{{{ns.OFFICE}}}OLEObject"
DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
PIC_NV_PR = "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr"
TEXTPATH = f"{{{ns.VML}}}textpath"
VML_SHAPES = {f"{{{ns.VML}}}{name}" for name in ("shape", "rect", "roundrect", "oval", "group", "image")}
WPS_SHAPE = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}wsp"
TEXT_WARP = "{http://schemas.openxmlformats.org/drawingml/2006/main}prstTxWarp"
WPS_BODY_PR = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}bodyPr"
# The preset that means "no warp": Word writes it on every plain text box and shape with text (Insert → Text Box,
# a caption box, modern WordArt before any Transform is chosen), so it does not make a box WordArt.
NO_WARP = {"textNoShape"}
TABLE_TEXT = (w("tblCaption"), w("tblDescription"))
# Prefixes an mc:Choice may require that Word (2010 and later) understands; any other sends Word to mc:Fallback.
UNDERSTOOD = {"wps", "wpg", "wpc", "wpi", "wp14", "w14", "w15", "w16", "w16se", "w16cid", "w16cex", "w16sdtdh",
              "w16du", "a14", "a15", "a16", "cx", "cx1", "cx2", "cx3", "cx4", "cx5", "cx6", "cx7", "cx8", "aink",
              "am3d", "v", "o", "w10", "wne", "m", "r", "w", "wp", "a", "pic", "c", "dgm", "c14", "dsp", "lc"}
AUTHOR, DATE, ID, TYPE, VAL = w("author"), w("date"), w("id"), w("type"), w("val")
R_ID = f"{{{ns.R}}}id"
# Elements whose children are more of the same paragraph's content.
INLINE_CONTAINERS = {w("hyperlink"), w("smartTag"), w("customXml"), SDT_CONTENT, w("dir"), w("bdo")}
# Elements whose children are more blocks (paragraphs, tables) of the same story.
BLOCK_CONTAINERS = {w("customXml"), SDT_CONTENT, INS, DEL, MOVE_FROM, MOVE_TO}
# Every revision element of WordprocessingML (ECMA-376 Part 1, §17.13) and what it records. w:ins and w:del are
# refined by where they sit (see _revision_kind); the *RangeEnd elements close ranges already counted.
REVISION_KINDS = {
    INS: "insertion", DEL: "deletion", MOVE_FROM: "move", MOVE_TO: "move",
    w("moveFromRangeStart"): "move range", w("moveToRangeStart"): "move range",
    w("rPrChange"): "formatting", w("pPrChange"): "formatting", w("sectPrChange"): "section formatting",
    w("tblPrChange"): "table formatting", w("tblPrExChange"): "table formatting", w("trPrChange"): "row formatting",
    w("tcPrChange"): "cell formatting", w("tblGridChange"): "table grid", w("numberingChange"): "numbering",
    w("cellIns"): "cell insertion", w("cellDel"): "cell deletion", w("cellMerge"): "cell merge",
    w("customXmlInsRangeStart"): "custom XML insertion", w("customXmlDelRangeStart"): "custom XML deletion",
    w("customXmlMoveFromRangeStart"): "custom XML move", w("customXmlMoveToRangeStart"): "custom XML move",
}
MARK_KINDS = {INS: "paragraph mark", DEL: "paragraph mark", MOVE_FROM: "paragraph mark", MOVE_TO: "paragraph mark"}
TRPR, NUMPR, SECT_PR = w("trPr"), w("numPr"), w("sectPr")
TABLE_PARTS = {TBL, TR, TC}
RELS_PART = re.compile(r"^(.*/)?_rels/([^/]*)\.rels$")
SEPARATOR_NOTES = {"separator", "continuationSeparator", "continuationNotice"}

HEADING_STYLE = re.compile(r"^heading\s*(\d)$")
TITLE_STYLES = {"title", "subtitle"}
BLOCK_QUOTE_STYLES = {"quote", "intense quote", "block text", "block quote", "blockquote", "block quotation",
                      "quotation", "extract"}
CAPTION_STYLES = {"caption", "table caption", "image caption", "figure caption"}
BIBLIOGRAPHY_STYLES = {"bibliography", "bibliography entry", "references", "reference list"}
BIBLIOGRAPHY_TITLES = {"bibliography", "references", "works cited", "sources", "select bibliography",
                       "selected bibliography", "reference list", "sources cited"}


def read_manuscript(source: bytes | str | Path, limits: Limits = Limits(), *, revisions: bool = True) -> Manuscript:
    """Opens and reads a Word document; raises PackageError (code + message) when it is not one or is unsafe.

    ``revisions=False`` leaves ``Manuscript.revisions`` empty (who changed what, where): screening reads only the
    text, and every piece of text, deleted and moved text included, is read either way."""
    data = source if isinstance(source, bytes) else read_file(source, limits.max_file_bytes)
    return read_word(open_word(data, limits), revisions=revisions)


def read_word(word: WordFile, *, revisions: bool = True) -> Manuscript:
    """Reads an opened Word file (:func:`~chapterhouse.ooxml.formats.open_word`), as :func:`read_manuscript` does."""
    return DocumentReader(word, record_revisions=revisions).read()


class DocumentReader:
    def __init__(self, word: WordFile, embedding_depth: int = 0, record_revisions: bool = True):
        self.word = word
        self.record_revisions = record_revisions
        self.embedding_depth = embedding_depth  # 0 for the uploaded file, 1 for a document embedded in it
        self.package = word.package
        self.model = Manuscript(template=word.template)
        self.references: list[tuple[str, str]] = []  # (footnote|endnote, id) in the order the text cites them
        self.paragraph_at: dict[etree._Element, Location] = {}  # each paragraph read → its location
        self._note_elements: list[tuple[etree._Element, int | None]] = []  # notes of the part being read

    def read(self) -> Manuscript:
        main = self.word.main_part
        root = self.package.xml(main)  # the main document must parse; everything else may be damaged
        rels = self.package.relationships(main)
        by_type: dict[str, list[str]] = defaultdict(list)
        for rel in rels:
            if not rel.external:
                by_type[rel.type].append(rel.target)
        self.sections = _sections_of_parts(root, {rel.id: rel.target for rel in rels if not rel.external})
        self.styles = Styles.read(self._optional_xml(by_type[ns.REL_STYLES]),
                                  self._optional_xml(by_type[ns.REL_NUMBERING]), self.package.derived)
        body = root.find(w("body"))
        if body is not None:
            self.model.paragraphs = StoryWalker(self, "body", "body").blocks(body)
            mark_bibliography(self.model.paragraphs)
            self._revisions(body, "body")
        self._read_notes(by_type[ns.REL_FOOTNOTES], "footnote")
        self._read_notes(by_type[ns.REL_ENDNOTES], "endnote")
        self._read_comments(by_type[ns.REL_COMMENTS])
        self.model.headers = self._read_stories(by_type[ns.REL_HEADER], "header")
        self.model.footers = self._read_stories(by_type[ns.REL_FOOTER], "footer")
        self.model.other_stories = self._read_stories(
            [rel.target for rel in rels if rel.type.endswith("/glossaryDocument") and not rel.external], "glossary")
        self._definition_revisions(by_type[ns.REL_STYLES], "style", "styles")
        self._definition_revisions(by_type[ns.REL_NUMBERING], "abstractNum", "numbering definitions")
        self._read_package_level(main)
        self.model.strict = self.package.strict
        return self.model

    # -- parts ----------------------------------------------------------------------------------------

    def _optional_xml(self, names: list[str]) -> etree._Element | None:
        """A side part, or None when absent or damaged (then listed as damaged); unsafe XML still refuses."""
        for name in names:
            if self.package.has(name):
                try:
                    return self.package.xml(name)
                except PackageError as error:
                    if error.code != "xml-malformed":
                        raise
                    self.model.damaged_parts.append((name, str(error)))
        return None

    def _read_notes(self, parts: list[str], kind: str) -> None:
        root = self._optional_xml(parts)
        if root is None:
            return
        elements = {}
        for element in root.iter(w(kind)):
            if element.get(TYPE, "normal") not in SEPARATOR_NOTES:
                elements.setdefault(element.get(ID, ""), element)
        numbered = [note_id for note_kind, note_id in self.references if note_kind == kind]
        printed: list[Note] = []
        for number, note_id in enumerate(dict.fromkeys(numbered), start=1):
            element = elements.pop(note_id, None)
            if element is not None:
                printed.append(self._note(element, kind, note_id, number))
        setattr(self.model, f"{kind}s", printed)
        unreferenced = [self._note(e, kind, i, None) for i, e in elements.items()]
        self.model.unreferenced_notes += unreferenced
        holders = {element: Location(kind, note=number) for element, number in self._note_elements}
        self._note_elements = []
        self._revisions(root, kind, holders)

    def _note(self, element: etree._Element, kind: str, note_id: str, number: int | None) -> Note:
        walker = StoryWalker(self, kind, "note", note=number)
        self._note_elements.append((element, number))
        return Note(kind, note_id, number, walker.blocks(element))

    def _read_comments(self, parts: list[str]) -> None:
        root = self._optional_xml(parts)
        if root is None:
            return
        holders = {}
        for number, element in enumerate(root.iter(w("comment")), start=1):
            walker = StoryWalker(self, "comment", "comment", note=number)
            self.model.comments.append(Comment(
                element.get(ID, ""), number, element.get(AUTHOR, ""), element.get(w("initials"), ""),
                element.get(DATE, ""), walker.blocks(element)))
            holders[element] = Location("comment", note=number)
        self._revisions(root, "comment", holders)

    def _read_stories(self, parts: list[str], kind: str) -> list[Story]:
        stories = []
        for part in dict.fromkeys(parts):
            root = self._optional_xml([part])
            if root is None:
                continue
            label = f"{kind} ({posixpath.basename(part)})"
            container = root.find(w("body")) if kind == "glossary" else root
            if container is None:
                continue
            walker = StoryWalker(self, label, kind)
            walker.watermark_place = f"watermark in the {kind} of {self._sections_text(part)} ({posixpath.basename(part)})"
            stories.append(Story(label, part, walker.blocks(container)))
            self._revisions(container, label)
        return stories

    def _sections_text(self, part: str) -> str:
        numbers = self.sections.get(part, [])
        if not numbers:
            return "no section"
        listed = ", ".join(str(n) for n in numbers[:-1]) + (" and " if len(numbers) > 1 else "") + str(numbers[-1])
        return f"section{'s' if len(numbers) > 1 else ''} {listed}"

    # -- tracked changes ------------------------------------------------------------------------------

    def _revisions(self, root: etree._Element, label: str,
                   holders: dict[etree._Element, Location] | None = None) -> None:
        """Every revision element in a part read, in document order, at the paragraph (or table) holding it.

        One sweep per part after it is read, rather than checks scattered through the walk, so that no kind of
        revision is missed wherever the schema allows it; copies in an alternate-content branch Word does not
        show are skipped (the shown branch holds the same change). ``holders`` locates what sits outside any
        paragraph of a note or comment (the note or comment element → its location)."""
        if not self.record_revisions:
            return
        for element in root.iter(*REVISION_KINDS):
            located = self._revision_place(element, root, holders or {})
            if located is None:
                continue
            location, in_equation = located
            kind = _revision_kind(element, in_equation)
            changed = "" if "formatting" in kind else "".join(t.text or "" for t in element.iter(T, DEL_TEXT, MATH_TEXT))
            if location is None:
                location = Location(f"{label} (section properties)" if _nearest(element, SECT_PR) is not None
                                    else label)
            self.model.revisions.append(Revision(kind, element.get(AUTHOR, ""), element.get(DATE, ""),
                                                 location.with_excerpt(changed) if changed.strip() else location))

    def _revision_place(self, element: etree._Element, root: etree._Element,
                        holders: dict[etree._Element, Location]) -> tuple[Location | None, bool] | None:
        """(location of the paragraph or table holding ``element``, whether it is in an equation); None to skip."""
        location, in_equation, table_part, holder = None, False, None, None
        for ancestor in element.iterancestors():
            if ancestor is root:
                break
            tag = ancestor.tag
            if holder is None and ancestor in holders:
                holder = holders[ancestor]
            if tag == P and location is None:
                location = self.paragraph_at.get(ancestor)
            elif tag in MATH_CONTAINERS:
                in_equation = True
            elif tag in TABLE_PARTS and table_part is None:
                table_part = ancestor
            elif tag == FALLBACK and ancestor.getparent() is not None and ancestor.getparent().find(CHOICE) is not None:
                return None
        if location is None:  # a table, row or cell change, or a block-level change around paragraphs
            for container in (element, table_part):
                if container is not None:
                    location = next((self.paragraph_at[p] for p in container.iter(P) if p in self.paragraph_at), None)
                    if location is not None:
                        break
        return location or holder, in_equation

    def _definition_revisions(self, parts: list[str], holder: str, label: str) -> None:
        """Formatting changes recorded in styles.xml or numbering.xml, named by the style or list they change."""
        if not self.record_revisions:
            return
        for name in dict.fromkeys(parts):
            if not self.package.has(name):
                continue
            root = self._optional_xml([name])
            if root is None:
                continue
            for element in root.iter(*REVISION_KINDS):
                owner = _nearest(element, w(holder))
                named = owner.find(w("name")) if owner is not None else None
                what = (f"style “{named.get(VAL, '')}”" if named is not None else
                        f"list {owner.get(w('abstractNumId'), '')}" if owner is not None else "defaults")
                self.model.revisions.append(Revision(_revision_kind(element, False), element.get(AUTHOR, ""),
                                                     element.get(DATE, ""),
                                                     Location(f"{label} ({posixpath.basename(name)}), {what}")))

    def _read_package_level(self, main: str) -> None:
        """Relationships of every part, property parts, custom XML, and embedded things known only by name."""
        model, package = self.model, self.package
        for name in package.names():
            found = RELS_PART.match(name)
            if found:
                source = (found.group(1) or "") + found.group(2)
                try:
                    model.relationships += [(source, rel) for rel in package.relationships(source)]
                except PackageError as error:
                    if error.code != "xml-malformed":
                        raise
                    model.damaged_parts.append((name, str(error)))
        model.properties = read_properties(package, model.damaged_parts)
        model.extra_text += drawing_text(package, model.damaged_parts)
        embedded, model.unscreened = embedded_office_text(package, self.embedding_depth)
        model.extra_text += embedded
        for name in package.names():
            lower = name.lower()
            if lower.endswith("vbaproject.bin") or lower.endswith("vbadata.xml"):
                model.embedded.append(EmbeddedThing("macros", name, Location(f"package part {name}")))
            elif lower.startswith("customxml/item") and lower.endswith(".xml") and "/_rels/" not in lower:
                self._custom_xml_text(name)
        for source, rel in model.relationships:
            where = Location(f"package part {rel.target}" if not rel.external else f"relationship in {source}")
            if rel.type == ns.REL_VBA:
                model.embedded.append(EmbeddedThing("macros", rel.target, where))
            elif rel.type in (ns.REL_OLE_OBJECT, ns.REL_PACKAGE) and not rel.external:
                model.embedded.append(EmbeddedThing("ole", rel.target, where))
            elif rel.type == ns.REL_ACTIVEX and not rel.external:
                model.embedded.append(EmbeddedThing("activex", rel.target, where))
        self._settings_text(main)

    def _custom_xml_text(self, name: str) -> None:
        root = self._optional_xml([name])
        if root is not None:
            text = " ".join(t.strip() for t in root.itertext() if t.strip())
            if text:
                self.model.extra_text.append(TextBlock(text, f"custom XML ({name})"))

    def _settings_text(self, main: str) -> None:
        """Document variables (``w:docVar``) in settings.xml: text that no view of the document shows."""
        settings = [rel.target for rel in self.package.relationships(main) if rel.type == ns.REL_SETTINGS]
        root = self._optional_xml(settings)
        if root is None:
            return
        for var in root.iter(w("docVar")):
            value = var.get(VAL, "")
            if value.strip():
                self.model.extra_text.append(TextBlock(value, f"document variable {var.get(w('name'), '')!r} (settings.xml)"))


class StoryWalker:
    """Reads the blocks of one story (the body, one note, one comment, one header, one text box)."""

    def __init__(self, reader: DocumentReader, label: str, role: str, note: int | None = None,
                 anchor: int | None = None):
        self.reader = reader
        self.styles = reader.styles
        self.model = reader.model
        self.label = label
        self.role = role
        self.note = note
        self.anchor = anchor  # for a text box: the paragraph it sits in
        self.watermark_place = ""  # set for headers and footers: "watermark in the header of section 1 (…)"
        self.number = 0
        self.paragraphs: list[Paragraph] = []
        # One entry per open complex field: [True while reading its code, the code read so far]. Text inside any
        # field's code (a nested field's result included, as in IF { PAGE } = 1) is that field's code.
        self.fields: list[list] = []

    def location(self, text: str = "") -> Location:
        number = self.anchor if self.anchor is not None else self.number
        return Location(self.label, number, self.note, excerpt(text) if text else "")

    def blocks(self, container: etree._Element) -> list[Paragraph]:
        self._blocks(container, None, False)
        return self.paragraphs

    def _blocks(self, container: etree._Element, table_style: str | None, in_table: bool) -> None:
        for child in container:
            tag = child.tag
            if tag == P:
                self.paragraph(child, table_style, in_table)
            elif tag == TBL:
                self.table(child)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self._blocks(content, table_style, in_table)
            elif tag in BLOCK_CONTAINERS:
                self._blocks(child, table_style, in_table)
            elif tag == ALT_CHUNK:
                self.model.embedded.append(EmbeddedThing("alt-chunk", child.get(R_ID, ""), self.location()))
            elif tag == ALTERNATE:
                self._blocks(self.alternate(child), table_style, in_table)

    def table(self, table: etree._Element) -> None:
        """Reads the table's cells as paragraphs of this story and records the table's shape in the model."""
        self.reader.package.check_time()
        properties = table.find(TBLPR)
        style = properties.find(w("tblStyle")) if properties is not None else None
        for described in (properties.iterchildren(*TABLE_TEXT) if properties is not None else ()):
            if described.get(VAL, "").strip():
                kind = "caption" if described.tag == TABLE_TEXT[0] else "description"
                self.model.extra_text.append(TextBlock(described.get(VAL), f"table {kind} (alt text), {Location(self.label, self.number + 1).place}"))
        table_style = style.get(VAL) if style is not None else self.styles.default_table_style
        rows: list[list[list[Paragraph]]] = []
        first = self.number + 1
        for row in table.iter(TR):
            if _nearest(row, TBL) is not table:
                continue  # a row of a nested table: read when its cell is
            cells = []
            for cell in row.iter(TC):
                if _nearest(cell, TR) is row:  # cells of this row, content controls around them included
                    start = len(self.paragraphs)
                    self._blocks(cell, table_style, True)
                    cells.append(self.paragraphs[start:])
            rows.append(cells)
        if self.role == "body":
            self.model.tables.append(Table(Location(self.label, first), self.styles.name(table_style), rows))

    def paragraph(self, element: etree._Element, table_style: str | None, in_table: bool) -> None:
        self.number += 1
        self.reader.package.check_time()
        ppr_element = element.find(PPR)
        direct = paragraph_props(ppr_element)
        ppr, run_base = self.styles.paragraph_formatting(direct, table_style)
        text = _Text()
        self._inline(element, text, run_base, False)
        self.flush_codes(text)
        style_name = self.styles.name(ppr.get("pStyle"))
        role, level = self.classify(style_name, ppr, in_table)
        printed = "".join(text.visible)
        paragraph = Paragraph(
            location=self.location(printed or "".join(text.deleted) or "".join(text.hidden)),
            style=style_name, role=role, text=printed, deleted="".join(text.deleted),
            hidden="".join(text.hidden), field_codes=" ".join(text.codes),
            line=int(ppr.get("line", 240)), line_rule=str(ppr.get("lineRule", "auto")),
            sizes=text.sizes, heading_level=level,
        )
        self.paragraphs.append(paragraph)
        self.reader.paragraph_at[element] = paragraph.location
        for code in text.codes:
            self.model.fields.append(Field(code, paragraph.location))
        for label, box in text.boxes:
            self.model.text_boxes += StoryWalker(self.reader, label, "text_box", self.note, anchor=self.number).blocks(box)

    def classify(self, style_name: str, ppr: Props, in_table: bool) -> tuple[str, int | None]:
        """The paragraph's role from its style name (Word's built-in names are English in every language)."""
        name = style_name.lower()
        heading = HEADING_STYLE.match(name)
        level = int(heading.group(1)) - 1 if heading else (0 if name in TITLE_STYLES else None)
        outline = ppr.get("outlineLvl")
        if level is None and isinstance(outline, int) and 0 <= outline <= 8:
            level = outline
        if self.role != "body":
            return self.role, level
        if in_table:
            return "table", level
        if level is not None:
            return "heading", level
        if name in BLOCK_QUOTE_STYLES:
            return "block_quote", None
        if name in CAPTION_STYLES:
            return "caption", None
        if name in BIBLIOGRAPHY_STYLES:
            return "bibliography", None
        return "body", None

    # -- inline content -------------------------------------------------------------------------------

    def _inline(self, parent: etree._Element, text: _Text, run_base: Props, deleted: bool) -> None:
        for child in parent:
            tag = child.tag
            if tag == R:
                self.run(child, text, run_base, deleted)
            elif tag in INLINE_CONTAINERS:
                self._inline(child, text, run_base, deleted)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self._inline(content, text, run_base, deleted)
            elif tag in (INS, MOVE_TO):
                self._inline(child, text, run_base, deleted)
            elif tag in (DEL, MOVE_FROM):
                self._inline(child, text, run_base, True)
            elif tag == FLD_SIMPLE:
                self._code(child.get(w("instr"), ""), text)
                self._inline(child, text, run_base, deleted)
            elif tag == ALTERNATE:
                self._inline(self.alternate(child), text, run_base, deleted)
            elif tag in MATH_CONTAINERS:
                _math_text(child, text, deleted)

    def run(self, run: etree._Element, text: _Text, run_base: Props, deleted: bool) -> None:
        formatting = run_base  # until the run's own w:rPr (its first child when present) says otherwise
        for child in run:
            tag = child.tag
            if tag == T:  # by far the commonest: printed text goes straight to the paragraph
                value = child.text
                if value:
                    if deleted or formatting["vanish"] or (self.fields and self._in_code()):
                        self._text(value, text, formatting, deleted)
                    else:
                        text.visible.append(value)
                        size = formatting["sz"]
                        text.sizes[size] = text.sizes.get(size, 0) + len(value)
            elif tag == RPR:
                formatting = self.styles.run_formatting(run_base, run_props(child))
            elif tag == DEL_TEXT:
                if child.text:
                    text.deleted.append(child.text)
            elif tag == INSTR_TEXT or tag == DEL_INSTR_TEXT:
                if child.text:
                    self._code(child.text, text)
            elif tag == FLD_CHAR:
                self._field_char(child.get(FLD_TYPE, ""), text)
            elif tag in WHITESPACE:
                self._text(WHITESPACE[tag], text, formatting, deleted)
            elif tag == NB_HYPHEN:
                self._text("-", text, formatting, deleted)
            elif tag == SYM:
                self._text(_symbol(child.get(w("char"), "")), text, formatting, deleted)
            elif tag == FOOTNOTE_REF or tag == ENDNOTE_REF:
                if not deleted:
                    self.reader.references.append(("footnote" if tag == FOOTNOTE_REF else "endnote", child.get(ID, "")))
            elif tag in GRAPHICS:
                self.graphic(child, text)
            elif tag == ALTERNATE:
                for inner in self.alternate(child):
                    if inner.tag in GRAPHICS:
                        self.graphic(inner, text)
                    elif inner.tag == R:
                        self.run(inner, text, run_base, deleted)

    def _text(self, value: str, text: _Text, formatting: Props, deleted: bool) -> None:
        """Sorts text into its stream: deleted, field code, hidden, or printed (counted with its font size)."""
        if deleted:
            text.deleted.append(value)
        elif self.fields and self._in_code():
            self._code(value, text)
        elif formatting["vanish"]:
            text.hidden.append(value)
        else:
            text.visible.append(value)
            size = formatting["sz"]
            text.sizes[size] = text.sizes.get(size, 0) + len(value)

    def _in_code(self) -> bool:
        return any(field[0] for field in self.fields)

    def _code(self, value: str, text: _Text) -> None:
        """Field code goes to the innermost field still reading its code (or stands alone outside any field)."""
        for field in reversed(self.fields):
            if field[0]:
                field[1].append(value)
                return
        text.codes.append(value.strip())

    def _field_char(self, kind: str, text: _Text) -> None:
        """Complex fields: code from begin to separate, result from separate to end; fields nest."""
        if kind == "begin":
            self.fields.append([True, []])
        elif kind == "separate" and self.fields and self.fields[-1][0]:
            self.fields[-1][0] = False
            self._end_code(self.fields[-1], text)
        elif kind == "end" and self.fields:
            self._end_code(self.fields.pop(), text)

    @staticmethod
    def _end_code(field: list, text: _Text) -> None:
        code = "".join(field[1]).strip()
        field[1] = []
        if code:
            text.codes.append(code)

    def flush_codes(self, text: _Text) -> None:
        """A field whose code runs on into the next paragraph: what was read so far belongs to this one."""
        for field in self.fields:
            if field[1]:
                self._end_code(field, text)

    def graphic(self, element: etree._Element, text: _Text) -> None:
        """A drawing, VML picture, OLE object or control: text boxes, WordArt, alt text and embedded objects in it."""
        for box in element.iter(TXBX_CONTENT):
            if _nearest(box, TXBX_CONTENT) is None:  # nested text boxes are read with their outer box
                text.boxes.append((self.wordart_place("Word shows it") if _is_wordart(box) else f"text box in {self.label}", box))
        for path in element.iter(TEXTPATH):
            if path.get("string", "").strip():
                self.model.extra_text.append(TextBlock(path.get("string"), self.wordart_place("VML, which Word shows")))
        alt_texts = {}
        for described in element.iter(DOC_PR, PIC_NV_PR, *VML_SHAPES):
            alt = " ".join(filter(None, (described.get("title"), described.get("descr"), described.get("alt"))))
            if alt.strip():
                alt_texts.setdefault(alt, None)  # Word writes the same description on wp:docPr and pic:cNvPr
        for alt in alt_texts:
            self.model.extra_text.append(TextBlock(alt, f"alt text of a picture in {self.location()}"))
        for ole in element.iter(OLE_OBJECT):
            kind = "linked object" if ole.get("Type") == "Link" else "embedded object"
            self.model.embedded.append(EmbeddedThing("ole", f"{kind} {ole.get('ProgID', '')}".strip(), self.location()))
        for control in ([element] if element.tag == CONTROL else element.iter(CONTROL)):
            self.model.embedded.append(EmbeddedThing("activex", control.get(w("name"), "control"), self.location()))

    def wordart_place(self, shown: str) -> str:
        """Where WordArt is: a watermark in a header or footer (named by its sections), else WordArt in a paragraph."""
        where = self.watermark_place or f"WordArt in {self.location()}"
        return f"{where}, {shown}"

    def alternate(self, element: etree._Element) -> etree._Element:
        """The branch of mc:AlternateContent that Word shows; the other branches' text goes to the security scan."""
        branches = [b for b in element if b.tag in (CHOICE, FALLBACK)]
        shown = _shown_branch(branches) if branches else element
        shown_text = _all_text(shown)
        for other in branches:
            if other is not shown:
                hidden = _all_text(other)
                if hidden.strip() and " ".join(hidden.split()) != " ".join(shown_text.split()):
                    self.model.extra_text.append(TextBlock(hidden, f"alternate content not shown, {self.location()}"))
                for path in other.iter(TEXTPATH):
                    if path.get("string", "").strip():
                        self.model.extra_text.append(TextBlock(path.get("string"), self.wordart_place(
                            "VML in the alternate copy Word does not show (older readers show it)")))
        return shown


class _Text:
    """The four text streams of a paragraph being read, plus font sizes and text boxes found in it."""

    __slots__ = ("visible", "deleted", "hidden", "codes", "sizes", "boxes")

    def __init__(self):
        self.visible: list[str] = []
        self.deleted: list[str] = []
        self.hidden: list[str] = []
        self.codes: list[str] = []
        self.sizes: dict[int, int] = {}
        self.boxes: list[tuple[str, etree._Element]] = []


def _is_wordart(box: etree._Element) -> bool:
    """A text box whose text is warped WordArt: its shape's ``wps:bodyPr`` names a warp other than "no warp"
    (``textNoShape``), or says the text was converted from WordArt (``fromWordArt="1"``, ECMA-376 §21.1.2.1.1).
    Word writes ``<a:prstTxWarp prst="textNoShape">`` on ordinary text boxes too, so the mere presence of a
    warp element says nothing; a missing ``prst`` (the schema requires one) is read as no warp."""
    shape = _nearest(box, WPS_SHAPE)
    body = shape.find(WPS_BODY_PR) if shape is not None else None
    if body is None:
        return False
    if body.get("fromWordArt") in ("1", "true"):
        return True
    warp = body.find(TEXT_WARP)
    return warp is not None and warp.get("prst", "textNoShape") not in NO_WARP


def _shown_branch(branches: list[etree._Element]) -> etree._Element:
    """The first mc:Choice whose required namespaces Word understands, else mc:Fallback (as Word decides)."""
    for branch in branches:
        if branch.tag == FALLBACK or all(prefix in UNDERSTOOD for prefix in branch.get("Requires", "").split()):
            return branch
    return branches[0]


def _sections_of_parts(root: etree._Element, targets: dict[str, str]) -> dict[str, list[int]]:
    """Header and footer part → the numbers of the sections that use it (sections in document order)."""
    sections: dict[str, list[int]] = {}
    for number, properties in enumerate(root.iter(SECT_PR), start=1):
        for reference in properties:
            if reference.tag in (w("headerReference"), w("footerReference")):
                part = targets.get(reference.get(R_ID, ""))
                if part and number not in sections.setdefault(part, []):
                    sections[part].append(number)
    return sections


def _math_text(math: etree._Element, text: _Text, deleted: bool) -> None:
    """An equation's characters; those inside a tracked deletion (w:del around m:r) are deleted text."""
    for math_text in math.iter(MATH_TEXT, DEL_TEXT):
        gone = deleted or math_text.tag == DEL_TEXT
        if not gone:
            for ancestor in math_text.iterancestors():
                if ancestor is math:
                    break
                if ancestor.tag in (DEL, MOVE_FROM):
                    gone = True
                    break
        (text.deleted if gone else text.visible).append(math_text.text or "")


def _all_text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(T, DEL_TEXT, INSTR_TEXT))


def _revision_kind(element: etree._Element, in_equation: bool) -> str:
    """What a revision element records, refined by its parent for w:ins, w:del and the moves."""
    tag, parent = element.tag, element.getparent()
    kind = REVISION_KINDS[tag]
    if tag in MARK_KINDS and parent is not None:
        if parent.tag == RPR and parent.getparent() is not None and parent.getparent().tag == PPR:
            kind = MARK_KINDS[tag]
        elif parent.tag == TRPR:
            kind = "row insertion" if tag == INS else "row deletion"
        elif parent.tag == NUMPR:
            kind = "numbering insertion"
    if in_equation and kind in ("insertion", "deletion", "move"):
        kind += " in an equation"
    return kind


def _nearest(element: etree._Element, tag: str) -> etree._Element | None:
    """The closest ancestor with ``tag`` (not the element itself)."""
    for ancestor in element.iterancestors(tag):
        return ancestor
    return None


def _symbol(code: str) -> str:
    """``w:sym/@w:char``: hex, often in the private-use range F000–F0FF of a symbol font."""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if 0xF000 <= value <= 0xF0FF:
        value -= 0xF000
    return chr(value) if 0 < value < 0x110000 else ""


def mark_bibliography(paragraphs: list[Paragraph]) -> None:
    """Body paragraphs under a "Bibliography" (or "References", …) title are bibliography entries.

    The title may be a heading or a plain paragraph; the section ends at the next heading of the same or a
    higher level (any heading when the title was not one).
    """
    section_level: int | None = None
    for paragraph in paragraphs:
        title = paragraph.text.strip().rstrip(":").strip().lower()
        if title in BIBLIOGRAPHY_TITLES and paragraph.role in ("heading", "body"):
            paragraph.role = "heading"
            section_level = paragraph.heading_level if paragraph.heading_level is not None else 9
            continue
        if paragraph.role == "heading" and section_level is not None:
            if paragraph.heading_level is None or paragraph.heading_level <= section_level:
                section_level = None
        elif section_level is not None and paragraph.role == "body":
            paragraph.role = "bibliography"
