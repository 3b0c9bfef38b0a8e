"""Writes a :class:`~.blind_model.BlindDocument` as a new .docx: every part and every byte made here.

The package holds only the parts this module writes: content types, the two relationship files, the document,
styles, settings (note separators only), footnotes, endnotes, and the pictures as re-encoded. No properties
part (docProps/), no custom XML, no fonts, no thumbnail; ZIP entries carry a fixed date and no comments.
Plain Python; no Django.
"""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from chapterhouse.review.blind_model import (
    CAPTION, HEADINGS, NOTE_TEXT, QUOTE, TITLE, BlindDocument, Block, NoteMark, Paragraph, Picture, Table, Text,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
NAMESPACES = {"w": W, "r": R, "wp": WP, "a": A, "pic": PIC}
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml."
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
NOTE_REFERENCE = "NoteReference"


def q(prefix: str, local: str) -> str:
    return f"{{{NAMESPACES[prefix]}}}{local}"


def wq(local: str) -> str:
    return f"{{{W}}}{local}"


def el(parent: etree._Element | None, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    """A WordprocessingML element (``w:`` attributes by keyword), appended to ``parent`` when given."""
    element = etree.Element(wq(tag), nsmap=NAMESPACES) if parent is None else etree.SubElement(parent, wq(tag))
    for name, value in attributes.items():
        element.set(wq(name), value)
    if text is not None:
        element.text = text
    return element


def write_blind_docx(document: BlindDocument) -> bytes:
    """The new package's bytes."""
    writer = _Writer(document)
    parts = {
        "[Content_Types].xml": writer.content_types(),
        "_rels/.rels": _relationships([("rDoc", OFFICE + "officeDocument", "word/document.xml")]),
        "word/document.xml": writer.main(),
        "word/styles.xml": STYLES.encode(),
        "word/settings.xml": SETTINGS.encode(),
        "word/footnotes.xml": writer.notes("footnote", document.footnotes),
        "word/endnotes.xml": writer.notes("endnote", document.endnotes),
        "word/_rels/document.xml.rels": writer.main_relationships(),
    }
    for number, image in enumerate(document.images, start=1):
        parts[f"word/media/image{number}.{image.extension}"] = image.data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(zipfile.ZipInfo(name, FIXED_DATE), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


class _Writer:
    def __init__(self, document: BlindDocument):
        self.document = document
        self.drawings = 0

    def main(self) -> bytes:
        root = el(None, "document")
        body = el(root, "body")
        self.blocks(body, self.document.blocks)
        section = el(body, "sectPr")
        el(section, "pgSz", w="11906", h="16838")
        el(section, "pgMar", top="1440", right="1440", bottom="1440", left="1440", header="708", footer="708",
           gutter="0")
        return _bytes(root)

    def notes(self, kind: str, notes: list[list[Block]]) -> bytes:
        root = el(None, f"{kind}s")
        for number, kind_type in ((-1, "separator"), (0, "continuationSeparator")):
            note = el(root, kind, type=kind_type, id=str(number))
            el(el(el(note, "p"), "r"), kind_type)
        for number, blocks in enumerate(notes, start=1):
            note = el(root, kind, id=str(number))
            if not blocks or not isinstance(blocks[0], Paragraph):
                blocks = [Paragraph(NOTE_TEXT), *blocks]
            first = self.paragraph(note, blocks[0])
            mark = el(None, "r")
            el(el(mark, "rPr"), "rStyle", val=NOTE_REFERENCE)
            el(mark, f"{kind}Ref")
            space = el(None, "r")
            space.append(_text_element(" "))
            first[1:1] = [mark, space]  # straight after the paragraph's properties
            self.blocks(note, blocks[1:])
        return _bytes(root)

    def blocks(self, parent: etree._Element, blocks: list[Block]) -> None:
        for block in blocks:
            if isinstance(block, Table):
                self.table(parent, block)
            else:
                self.paragraph(parent, block)
        if parent.tag == wq("tc") and (not len(parent) or parent[-1].tag != wq("p")):
            el(parent, "p")  # a cell ends with a paragraph

    def paragraph(self, parent: etree._Element, paragraph: Paragraph) -> etree._Element:
        element = el(parent, "p")
        el(el(element, "pPr"), "pStyle", val=paragraph.style)
        for piece in paragraph.pieces:
            if isinstance(piece, Text):
                self.text_run(element, piece)
            elif isinstance(piece, NoteMark):
                run = el(element, "r")
                el(el(run, "rPr"), "rStyle", val=NOTE_REFERENCE)
                el(run, f"{piece.kind}Reference", id=str(piece.number))
            elif isinstance(piece, Picture):
                self.picture(element, piece)
        return element

    @staticmethod
    def text_run(paragraph: etree._Element, piece: Text) -> None:
        run = el(paragraph, "r")
        if piece.bold or piece.italic:
            properties = el(run, "rPr")
            if piece.bold:
                el(properties, "b")
            if piece.italic:
                el(properties, "i")
        for line_number, line in enumerate(piece.text.split("\n")):
            if line_number:
                el(run, "br")
            for tab_number, chunk in enumerate(line.split("\t")):
                if tab_number:
                    el(run, "tab")
                if chunk:
                    run.append(_text_element(chunk))

    def table(self, parent: etree._Element, table: Table) -> None:
        element = el(parent, "tbl")
        properties = el(element, "tblPr")
        el(properties, "tblStyle", val="TableGrid")
        el(properties, "tblW", w="0", type="auto")
        grid = el(element, "tblGrid")
        for _ in range(max(len(row) for row in table.rows)):
            el(grid, "gridCol")
        for row in table.rows:
            row_element = el(element, "tr")
            for cell in row:
                cell_element = el(row_element, "tc")
                el(el(cell_element, "tcPr"), "tcW", w="0", type="auto")
                self.blocks(cell_element, cell)

    def picture(self, paragraph: etree._Element, piece: Picture) -> None:
        self.drawings += 1
        number, cx, cy = str(self.drawings), str(piece.width_emu), str(piece.height_emu)
        inline = etree.SubElement(el(el(paragraph, "r"), "drawing"), q("wp", "inline"),
                                  distT="0", distB="0", distL="0", distR="0")
        etree.SubElement(inline, q("wp", "extent"), cx=cx, cy=cy)
        etree.SubElement(inline, q("wp", "docPr"), id=number, name=f"Picture {number}")
        data = etree.SubElement(etree.SubElement(inline, q("a", "graphic")), q("a", "graphicData"), uri=PIC)
        pic = etree.SubElement(data, q("pic", "pic"))
        names = etree.SubElement(pic, q("pic", "nvPicPr"))
        etree.SubElement(names, q("pic", "cNvPr"), id=number, name=f"Picture {number}")
        etree.SubElement(names, q("pic", "cNvPicPr"))
        fill = etree.SubElement(pic, q("pic", "blipFill"))
        etree.SubElement(fill, q("a", "blip")).set(q("r", "embed"), f"rImage{piece.number + 1}")
        etree.SubElement(etree.SubElement(fill, q("a", "stretch")), q("a", "fillRect"))
        shape = etree.SubElement(pic, q("pic", "spPr"))
        frame = etree.SubElement(shape, q("a", "xfrm"))
        etree.SubElement(frame, q("a", "off"), x="0", y="0")
        etree.SubElement(frame, q("a", "ext"), cx=cx, cy=cy)
        etree.SubElement(etree.SubElement(shape, q("a", "prstGeom"), prst="rect"), q("a", "avLst"))

    def main_relationships(self) -> bytes:
        rels = [("rStyles", OFFICE + "styles", "styles.xml"), ("rSettings", OFFICE + "settings", "settings.xml"),
                ("rFootnotes", OFFICE + "footnotes", "footnotes.xml"), ("rEndnotes", OFFICE + "endnotes", "endnotes.xml")]
        rels += [(f"rImage{number}", OFFICE + "image", f"media/image{number}.{image.extension}")
                 for number, image in enumerate(self.document.images, start=1)]
        return _relationships(rels)

    def content_types(self) -> bytes:
        root = etree.Element(f"{{{TYPES}}}Types", nsmap={None: TYPES})
        for extension, content_type in (("rels", "application/vnd.openxmlformats-package.relationships+xml"),
                                        ("xml", "application/xml"), ("png", "image/png"), ("jpeg", "image/jpeg")):
            etree.SubElement(root, f"{{{TYPES}}}Default", Extension=extension, ContentType=content_type)
        for part, content_type in (("document", "document.main"), ("styles", "styles"), ("settings", "settings"),
                                   ("footnotes", "footnotes"), ("endnotes", "endnotes")):
            etree.SubElement(root, f"{{{TYPES}}}Override", PartName=f"/word/{part}.xml",
                             ContentType=f"{WORD}{content_type}+xml")
        return _bytes(root)


def _text_element(text: str) -> etree._Element:
    element = etree.Element(wq("t"))
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    element.text = text
    return element


def _relationships(rels: list[tuple[str, str, str]]) -> bytes:
    root = etree.Element(f"{{{PKG}}}Relationships", nsmap={None: PKG})
    for rel_id, rel_type, target in rels:
        etree.SubElement(root, f"{{{PKG}}}Relationship", Id=rel_id, Type=rel_type, Target=target)
    return _bytes(root)


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _heading_styles() -> str:
    sizes = [32, 28, 26, 24, 24, 22, 22, 22, 22]
    return "".join(
        f'<w:style w:type="paragraph" w:styleId="{style}"><w:name w:val="heading {level}"/><w:basedOn w:val="Normal"/>'
        f'<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/>'
        f'<w:outlineLvl w:val="{level - 1}"/></w:pPr><w:rPr><w:b/><w:sz w:val="{size}"/></w:rPr></w:style>'
        for level, (style, size) in enumerate(zip(HEADINGS, sizes), start=1))


STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="22"/><w:lang w:val="en-GB"/></w:rPr>
</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="{TITLE}"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:qFormat/>
<w:pPr><w:spacing w:after="240"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="40"/></w:rPr></w:style>
{_heading_styles()}
<w:style w:type="paragraph" w:styleId="{CAPTION}"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:qFormat/>
<w:rPr><w:i/><w:sz w:val="18"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="{QUOTE}"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:qFormat/>
<w:pPr><w:ind w:left="720" w:right="720"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="{NOTE_TEXT}"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/>
<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="{NOTE_REFERENCE}"><w:name w:val="footnote reference"/>
<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>
<w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>
<w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>
<w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>
</w:tblBorders><w:tblCellMar><w:left w:w="108" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>
</w:style></w:styles>"""

SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W}"><w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>
<w:endnotePr><w:endnote w:id="-1"/><w:endnote w:id="0"/></w:endnotePr></w:settings>"""
