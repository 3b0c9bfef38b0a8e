"""Every piece of text a Word package carries, as located blocks for the marking scanner.

Screening must see what a reader of the printed page would not: deleted text, hidden text, field codes,
comments, headers and footers, text boxes and document properties. This reads them all, paragraph by
paragraph, without interpreting formatting. Plain Python; no Django.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from lxml import etree

from chapterhouse.ooxml.package import OoxmlPackage, PackageError
from chapterhouse.screening.markings import TextBlock

WORD_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_TEXT_TAGS = {"t", "delText", "instrText", "delInstrText"}
_BREAK_TAGS = {"br", "cr"}
_PART_LABELS = [
    (re.compile(r"document\d*\.xml$"), "body"),
    (re.compile(r"footnotes\.xml$"), "footnotes"),
    (re.compile(r"endnotes\.xml$"), "endnotes"),
    (re.compile(r"comments(?:Extended|Ids|Extensible)?\.xml$"), "comments"),
    (re.compile(r"header\d*\.xml$"), "header"),
    (re.compile(r"footer\d*\.xml$"), "footer"),
    (re.compile(r"glossary/document\.xml$"), "glossary"),
]


def part_label(name: str) -> str:
    base = posixpath.basename(name)
    for pattern, label in _PART_LABELS:
        if pattern.search(name):
            return f"{label} ({base})" if label in {"header", "footer"} else label
    return base


def text_blocks(package: OoxmlPackage) -> Iterator[TextBlock]:
    """Paragraphs of every WordprocessingML part, then document properties, in package order."""
    for name in package.names():
        if name.startswith("word/") and name.endswith(".xml") and "/_rels/" not in name:
            yield from _paragraph_blocks(package, name)
    for name in package.names():
        if name.startswith(("docProps/", "customXml/")) and name.endswith(".xml") and "/_rels/" not in name:
            yield from _property_blocks(package, name)


def _paragraph_blocks(package: OoxmlPackage, name: str) -> Iterator[TextBlock]:
    try:
        root = package.xml(name)
    except PackageError as error:
        if error.code == "xml-malformed" and name != "word/document.xml":
            return  # a damaged side part holds nothing we can read; the main document must parse
        raise
    label = part_label(name)
    number = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        qname = etree.QName(element)
        if qname.localname == "p" and qname.namespace in WORD_NAMESPACES:
            text = _paragraph_text(element)
            number += 1
            if text.strip():
                yield TextBlock(text, f"{label}, paragraph {number}")


def _paragraph_text(paragraph: etree._Element) -> str:
    parts: list[str] = []
    for element in paragraph.iter():
        if not isinstance(element.tag, str) or element is paragraph:
            continue
        local = etree.QName(element).localname
        if local == "p":
            parts.append("\n")  # a paragraph inside a text box: its own line
        elif local in _TEXT_TAGS and element.text:
            parts.append(element.text)
        elif local in _BREAK_TAGS:
            parts.append("\n")
        elif local == "tab":
            parts.append("\t")
    return "".join(parts)


def _property_blocks(package: OoxmlPackage, name: str) -> Iterator[TextBlock]:
    try:
        root = package.xml(name)
    except PackageError as error:
        if error.code == "xml-malformed":
            return
        raise
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        label = element.get("name") or etree.QName(element).localname
        text = (element.text or "").strip()
        if text:
            yield TextBlock(text, f"document properties ({posixpath.basename(name)}: {label})")


def sensitivity_labels(package: OoxmlPackage) -> list[tuple[str, str]]:
    """(label name, location) for Microsoft Information Protection labels stored as custom properties."""
    if not package.has("docProps/custom.xml"):
        return []
    try:
        root = package.xml("docProps/custom.xml")
    except PackageError:
        return []
    labels = []
    for prop in root:
        name = prop.get("name", "") if isinstance(prop.tag, str) else ""
        if name.startswith("MSIP_Label_") and name.endswith("_Name"):
            value = "".join(prop.itertext()).strip()
            labels.append((value, f"document properties (sensitivity label {name})"))
    return labels
