"""DOCX of the whole volume, for editors who correct in Word: the same structure as the PDF (title page,
copyright page, contents field, parts, chapters with their authors, notes restarting in each chapter,
bibliographies with hanging indents), styled by a reference document built once from pandoc's own.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from lxml import etree

from . import compose
from . import pandoc_ast as A
from .cache import BuildCache, digest
from .manifest import Volume
from .model import VolumeModel
from .pandoc import pandoc_version, run_pandoc

DOCX_VERSION = "docx-1"
PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
# A section ends after each chapter, so Word restarts the note numbers there and opens the next on a new page.
SECTION_BREAK = ('<w:p><w:pPr><w:sectPr><w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>'
                 '<w:type w:val="nextPage"/><w:pgSz w:w="12240" w:h="15840"/>'
                 '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" '
                 'w:footer="720" w:gutter="0"/></w:sectPr></w:pPr></w:p>')

# Word paragraph styles the volume uses: (name, size in points, italic, centred, space before, based on).
PARAGRAPH_STYLES = [
    ("Chapter Number", 11, False, True, 36, "Normal"),
    ("Chapter Authors", 12, True, True, 6, "Normal"),
    ("Editors", 13, False, True, 48, "Normal"),
    ("Publisher", 12, False, True, 96, "Normal"),
    ("Copyright", 9, False, False, 6, "Normal"),
    ("Contributor", 11, False, False, 12, "Normal"),
    ("Contributor Bio", 11, False, False, 2, "Normal"),
    ("TOC 1", 11, False, False, 8, "Normal"),
    ("TOC 2", 11, False, False, 2, "Normal"),
]


def raw(xml: str) -> dict:
    return A.RawBlock("openxml", xml)


def page_break() -> dict:
    return raw(PAGE_BREAK)


def section_break() -> dict:
    return raw(SECTION_BREAK)


def contents_field(entries: list[tuple[int, str]]) -> dict:
    """A Word contents field (parts and chapters), showing the entries until Word updates it with page numbers."""
    paragraphs = []
    for index, (level, text) in enumerate(entries):
        runs = ""
        if index == 0:
            runs += ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
                     '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
                     '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
        runs += f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
        if index == len(entries) - 1:
            runs += '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        paragraphs.append(f'<w:p><w:pPr><w:pStyle w:val="TOC{level}"/></w:pPr>{runs}</w:p>')
    heading = '<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t>Contents</w:t></w:r></w:p>'
    return raw(heading + "".join(paragraphs))


def reference_document(cache: BuildCache) -> Path:
    key = digest(DOCX_VERSION, pandoc_version(), json.dumps(PARAGRAPH_STYLES))
    path = cache.path("docx", key, ".docx")
    if path.exists():
        return path
    document = Document(io.BytesIO(run_pandoc(["--print-default-data-file", "reference.docx"])))
    styles = document.styles
    for name in ("Normal", "Body Text", "First Paragraph", "Compact"):
        if name in [s.name for s in styles]:
            styles[name].font.name = "Times New Roman"
    styles["Normal"].font.size = Pt(11)
    for name, size, italic, centred, before, base in PARAGRAPH_STYLES:
        style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.font.size = Pt(size)
        style.font.italic = italic
        style.paragraph_format.space_before = Pt(before)
        if centred:
            style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name, size in (("Title", 26), ("Subtitle", 16)):
        styles[name].font.size = Pt(size)
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for name in ("Heading 1", "Heading 2"):
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        styles[name].paragraph_format.space_before = Pt(48)
    bibliography = styles["Bibliography"] if "Bibliography" in [s.name for s in styles] else styles.add_style(
        "Bibliography", WD_STYLE_TYPE.PARAGRAPH)
    bibliography.paragraph_format.left_indent = Inches(0.5)
    bibliography.paragraph_format.first_line_indent = Inches(-0.5)
    bibliography.paragraph_format.space_after = Pt(4)
    block = styles["Block Text"]
    block.paragraph_format.left_indent = Inches(0.5)
    block.paragraph_format.right_indent = Inches(0.5)
    block.font.size = Pt(10)
    styles["Footnote Text"].font.size = Pt(9)
    settings = document.settings.element
    footnotes = settings.find(qn("w:footnotePr"))
    if footnotes is None:
        footnotes = OxmlElement("w:footnotePr")
        settings.append(footnotes)
    restart = OxmlElement("w:numRestart")
    restart.set(qn("w:val"), "eachSect")
    footnotes.insert(0, restart)  # numRestart comes before the separator footnotes in the schema
    buffer = io.BytesIO()
    document.save(buffer)
    cache.write_bytes("docx", key, ".docx", buffer.getvalue())
    return path


def bibliography_styled(blocks: list[dict]) -> list[dict]:
    """Bibliography paragraphs get Word's Bibliography style (a hanging indent)."""
    out = []
    for block in blocks:
        if block["t"] == "Div" and "bibliography" in block["c"][0][1]:
            attributes = [*block["c"][0][2], ["custom-style", "Bibliography"]]
            out.append(A.Div(block["c"][1], classes=block["c"][0][1], attributes=attributes))
        else:
            out.append(block)
    return out


def write_docx(volume: Volume, blocks: list[dict], api_version: list[int], cache: BuildCache, out: Path) -> None:
    reference = reference_document(cache)
    payload = json.dumps(A.document(blocks, api_version, {"lang": A.meta_string(volume.language)}),
                         ensure_ascii=False).encode()
    temporary = out.with_name(f".{out.name}.tmp")
    run_pandoc(["--from", "json", "--to", "docx", f"--reference-doc={reference}", f"--resource-path={cache.root}",
                "--output", str(temporary)], input=payload, cwd=cache.root)
    _set_properties(temporary, volume)
    temporary.replace(out)


def _set_properties(path: Path, volume: Volume) -> None:
    """Title, editors and language in the file's properties (pandoc sets them only with a title block)."""
    with zipfile.ZipFile(path) as packed:
        entries = [(info, packed.read(info.filename)) for info in packed.infolist()]
    dc = "http://purl.org/dc/elements/1.1/"
    rewritten = io.BytesIO()
    with zipfile.ZipFile(rewritten, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                root = etree.fromstring(data)
                for name, value in (("title", volume.title), ("subject", volume.subtitle),
                                    ("creator", "; ".join(e.name for e in volume.editors)),
                                    ("language", volume.language)):
                    element = root.find(f"{{{dc}}}{name}")
                    if element is None:
                        element = etree.SubElement(root, f"{{{dc}}}{name}")
                    element.text = value
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            out.writestr(info, data)
    path.write_bytes(rewritten.getvalue())


def volume_blocks(model: VolumeModel) -> list[dict]:
    volume = model.volume
    toc = [(1, t.title) for t in model.front]
    for part in model.parts:
        toc.append((1, f"{part.label}: {part.title}"))
        toc += [(2, f"{t.number}. {t.title}") for t in part.chapters]
    toc.append((1, "Contributors"))
    blocks = [*compose.title_page_blocks(volume), page_break(), *compose.copyright_blocks(volume), page_break(),
              contents_field(toc), section_break()]
    for text in model.front:
        blocks += [*bibliography_styled(compose.text_blocks(text, 1)), section_break()]
    contributors = [*compose.contributors_blocks(model.contributors(), 1), section_break()]
    if volume.contributors == "front":
        blocks += contributors
    for part in model.parts:
        blocks += [*compose.part_blocks(part, 1), page_break()]
        for text in part.chapters:
            blocks += [*bibliography_styled(compose.text_blocks(text, 2, f"Chapter {text.number}")), section_break()]
    if volume.contributors == "back":
        blocks += contributors
    return blocks[:-1] if blocks and blocks[-1] == section_break() else blocks
