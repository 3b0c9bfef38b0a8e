"""Edits the production stage makes to a Word file itself, so the approved text is exactly what gets typeset:
accepting every tracked change of a copyedit and removing its queries (comments), and applying an accepted proof
correction (the wrong text replaced by the right text, once, across the runs of one paragraph).

Works on the package's XML with the checker's safe parser; anything this cannot do is an ``EditFailed`` naming
it, and the result is meant to be read back by the checker. Plain Python; no Django.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from chapterhouse.ooxml.namespaces import w
from chapterhouse.ooxml.package import parse_xml

STORY = re.compile(r"^word/(document|footnotes|endnotes|header\d*|footer\d*|styles|numbering|settings)\.xml$")
COMMENT_PARTS = re.compile(r"^word/(comments|commentsExtended|commentsIds|commentsExtensible|people)\.xml$")
DROP = {w(n) for n in ("del", "moveFrom", "pPrChange", "rPrChange", "sectPrChange", "tblPrChange", "tblPrExChange",
                       "trPrChange", "tcPrChange", "tblGridChange", "numberingChange", "moveFromRangeStart",
                       "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd", "customXmlInsRangeStart",
                       "customXmlInsRangeEnd", "customXmlDelRangeStart", "customXmlDelRangeEnd",
                       "customXmlMoveFromRangeStart", "customXmlMoveFromRangeEnd", "customXmlMoveToRangeStart",
                       "customXmlMoveToRangeEnd", "cellIns", "cellDel", "cellMerge", "commentRangeStart",
                       "commentRangeEnd")}
UNWRAP = {w("ins"), w("moveTo")}
MARKERS = {w("ins"), w("del"), w("moveFrom"), w("moveTo")}  # inside w:rPr / w:trPr: a mark, not content
T = w("t")


class EditFailed(ValueError):
    """The edit cannot be made; the message says why, for the production editor."""


def _rewrite(data: bytes, change_story, drop_part=lambda name: False) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if drop_part(info.filename):
                continue
            content = source.read(info.filename)
            if STORY.match(info.filename):
                root = parse_xml(content, info.filename)
                change_story(root)
                content = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif info.filename == "[Content_Types].xml" or info.filename.endswith(".rels"):
                content = _without_comment_references(content, info.filename, drop_part)
            target.writestr(info, content)
    return out.getvalue()


def _without_comment_references(content: bytes, name: str, drop_part) -> bytes:
    root = parse_xml(content, name)
    for element in list(root):
        pointed = (element.get("PartName") or "").lstrip("/") or (
            "word/" + element.get("Target", "").lstrip("/").removeprefix("word/") if element.get("Target") else "")
        if pointed and drop_part(pointed):
            root.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _accept_in(root: etree._Element) -> None:
    for row_mark in [e for e in root.iter(w("del")) if e.getparent() is not None and e.getparent().tag == w("trPr")]:
        row = row_mark.getparent().getparent()
        row.getparent().remove(row)  # a deleted table row goes
    for mark in [e for e in root.iter(*MARKERS) if e.getparent() is not None and e.getparent().tag in {w("rPr"), w("trPr")}]:
        mark.getparent().remove(mark)  # paragraph-mark and row insertions/deletions: the mark only
    for element in [e for e in root.iter(*DROP)]:
        if element.getparent() is not None:
            element.getparent().remove(element)
    for run in [r for r in root.iter(w("r")) if r.find(w("commentReference")) is not None]:
        run.getparent().remove(run)
    for wrapper in [e for e in root.iter(*UNWRAP)]:
        parent = wrapper.getparent()
        if parent is None:
            continue
        index = parent.index(wrapper)
        for offset, child in enumerate(list(wrapper)):
            parent.insert(index + offset, child)
        parent.remove(wrapper)
    for deleted_text in list(root.iter(w("delText"), w("delInstrText"))):
        deleted_text.getparent().remove(deleted_text)


def accept_all(data: bytes) -> bytes:
    """The .docx with every tracked change accepted and every comment (query) removed."""
    try:
        return _rewrite(data, _accept_in, lambda name: bool(COMMENT_PARTS.match(name)))
    except (zipfile.BadZipFile, KeyError) as error:
        raise EditFailed(f"The file is not a Word document that can be edited ({error}).") from None


def replace_text(data: bytes, wrong: str, right: str) -> bytes:
    """The .docx with ``wrong`` replaced by ``right`` where it occurs once in one paragraph of the body or notes.
    Raises ``EditFailed`` when it occurs nowhere or more than once (the correction then needs a person)."""
    wrong = " ".join(wrong.split())
    if not wrong:
        raise EditFailed("The wrong text is empty.")
    found: list[tuple[etree._Element, int]] = []

    def collect(root):
        for paragraph in root.iter(w("p")):
            text = "".join(t.text or "" for t in paragraph.iter(T))
            found.extend((paragraph, i) for i in _all(text, wrong))

    _rewrite(data, collect)
    if not found:
        raise EditFailed(f"“{wrong}” is not in the chapter's text as one paragraph holds it.")
    if len(found) > 1:
        raise EditFailed(f"“{wrong}” occurs {len(found)} times; give a longer passage so it occurs once.")

    def edit(root):
        for paragraph in root.iter(w("p")):
            text = "".join(t.text or "" for t in paragraph.iter(T))
            if wrong in text:
                _replace_in(paragraph, text.index(wrong), len(wrong), right)

    return _rewrite(data, edit)


def _all(text: str, part: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(part), text)]


def _replace_in(paragraph: etree._Element, start: int, length: int, right: str) -> None:
    """Puts ``right`` in the text element where the match starts and removes the rest of the match after it."""
    position, placed = 0, False
    for t in list(paragraph.iter(T)):
        text = t.text or ""
        end = position + len(text)
        if end > start and position < start + length:
            cut_from, cut_to = max(start - position, 0), min(start + length - position, len(text))
            t.text = text[:cut_from] + ("" if placed else right) + text[cut_to:]
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            placed = True
        position = end
