"""Text a Word file carries outside its stories: SmartArt, charts and embedded Office files.

None of it counts as the chapter's words, but a reader of the file can see all of it, so the marking scanner
must: SmartArt node text (``word/diagrams/data*.xml``), chart titles, axis titles, series names, category labels
and cached values (``word/charts/*.xml``), and the text of an embedded workbook, document or presentation
(``word/embeddings/*.xlsx|docx|pptx``). An embedded file is opened inside what is left of the outer file's size,
XML and time budget, one level deep; one that cannot be opened is listed as unscreened, never skipped in silence.
External links are never followed: only parts inside the package are read. Plain Python; no Django.
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from chapterhouse.ooxml.package import Limits, OoxmlPackage, PackageError
from chapterhouse.screening.markings import TextBlock

DIAGRAM_DATA = re.compile(r"(^|/)diagrams/data\d*\.xml$", re.IGNORECASE)
CHART = re.compile(r"(^|/)charts/chart(Ex)?\d*\.xml$", re.IGNORECASE)
EMBEDDED_OFFICE = re.compile(r"(^|/)embeddings/[^/]+\.(docx|docm|dotx|dotm|xlsx|xlsm|xltx|xltm|pptx|pptm|ppsx|ppsm)$",
                             re.IGNORECASE)
KINDS = {"d": "document", "x": "workbook", "p": "presentation"}
MAX_EMBEDDING_DEPTH = 1  # embedded files are opened; files embedded in those are not
# Elements whose text is one line: paragraphs of WordprocessingML and DrawingML, shared and inline strings.
_LINES = {"p", "si", "is"}


def xml_lines(root: etree._Element) -> list[str]:
    """The text of an XML part as lines: one per paragraph-like element, one per other text node (a cell value)."""
    lines: list[str] = []
    skip_until = None
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if skip_until is not None:
            if _inside(element, skip_until):
                continue
            skip_until = None
        if etree.QName(element).localname in _LINES:
            line = "".join(element.itertext())
            skip_until = element
        else:
            line = element.text or ""
        if line.strip():
            lines.append(line.strip())
    return lines


def _inside(element: etree._Element, ancestor: etree._Element) -> bool:
    return any(parent is ancestor for parent in element.iterancestors())


def drawing_text(package: OoxmlPackage, damaged: list[tuple[str, str]]) -> list[TextBlock]:
    """SmartArt and chart text, one block per part, located by the part."""
    blocks = []
    for name in package.names():
        kind = "SmartArt" if DIAGRAM_DATA.search(name) else "chart" if CHART.search(name) else None
        if kind is None:
            continue
        try:
            lines = xml_lines(package.xml(name))
        except PackageError as error:
            if error.code != "xml-malformed":
                raise
            damaged.append((name, str(error)))
            continue
        if lines:
            blocks.append(TextBlock("\n".join(lines), f"{kind} ({name})"))
    return blocks


def embedded_office_text(package: OoxmlPackage, depth: int) -> tuple[list[TextBlock], list[tuple[str, str]]]:
    """(text blocks of every embedded Office file, [(part, why it could not be screened)])."""
    blocks: list[TextBlock] = []
    unscreened: list[tuple[str, str]] = []
    for name in package.names():
        found = EMBEDDED_OFFICE.search(name)
        if not found:
            continue
        kind = KINDS.get(found.group(2)[0].lower(), "file")
        if depth >= MAX_EMBEDDING_DEPTH:
            unscreened.append((name, f"an Office file embedded in an embedded {kind} is more than "
                                     f"{MAX_EMBEDDING_DEPTH} level deep"))
            continue
        try:
            data = package.read(name)
            label = f"embedded {kind} {posixpath.basename(name)}"
            if kind == "document":
                blocks += _document_blocks(package, data, depth + 1, label, unscreened)
            else:
                inner = OoxmlPackage(data, _remaining(package))
                blocks += _package_blocks(inner, label)
                package.spend(inner)
        except PackageError as error:
            if error.code == "too-slow":
                raise
            unscreened.append((name, str(error)))
    return blocks, unscreened


def _remaining(package: OoxmlPackage) -> Limits:
    """What is left of the outer file's budget, for a file embedded in it."""
    limits = package.limits
    return limits._replace(max_total_bytes=max(0, limits.max_total_bytes - package.bytes_read),
                           max_xml_tokens=max(0, limits.max_xml_tokens - package.xml_tokens), max_seconds=package.seconds_left())


def _document_blocks(outer: OoxmlPackage, data: bytes, depth: int, label: str,
                     unscreened: list[tuple[str, str]]) -> list[TextBlock]:
    from chapterhouse.ooxml.formats import open_word
    from chapterhouse.ooxml.reader import DocumentReader  # the reader uses this module: imported when needed

    word = open_word(data, _remaining(outer))
    model = DocumentReader(word, embedding_depth=depth).read()
    outer.spend(word.package)
    unscreened += [(f"{label}: {part}", why) for part, why in model.unscreened]
    return [TextBlock(block.text, f"{label}, {block.location}") for block in model.text_blocks()]


def _package_blocks(package: OoxmlPackage, label: str) -> list[TextBlock]:
    blocks = []
    for name in package.names():
        if not name.lower().endswith(".xml") or name == "[Content_Types].xml" or "/_rels/" in f"/{name}":
            continue
        lines = xml_lines(package.xml(name))
        if lines:
            blocks.append(TextBlock("\n".join(lines), f"{label}, part {name}"))
    return blocks
