"""The EPUB's page-list: where each page of the typeset PDF begins, marked in the EPUB's text.

The PDF and the EPUB are made from the same blocks, but by different writers, so the EPUB cannot know where
Typst broke the pages. Each unit's PDF is read back page by page (its own file, without the running heads
laid over the bound book) and each page's first words are looked for, in order, in the words of the same
unit's XHTML (see ``page_starts``). A page with no such word (a blank verso, an
empty page, a full-page figure) is marked where the next page begins, or at the end of its unit.
Plain Python; no Django.
"""

from __future__ import annotations

import bisect
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .cache import BuildCache, digest

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
PAGELIST_VERSION = "pagelist-1"
SKIPPED = {f"{{{XHTML}}}head", "{http://www.w3.org/1998/Math/MathML}math", "{http://www.w3.org/2000/svg}svg"}
WORD = re.compile(r"\w+")
LINE_END_HYPHEN = re.compile(r"(\w)-\s*\n\s*(\w)")
RUN = 5  # words in a row that place a page: enough not to be found by chance elsewhere in a chapter


@dataclass(frozen=True)
class PrintPage:
    """One page of the bound PDF: its label (the folio, "iv" or "23"), the unit it belongs to (a blank verso
    belongs to the unit before it) and the words printed on it."""

    label: str
    unit: str
    words: tuple[str, ...]


def words_of(text: str) -> list[str]:
    """The words of a text, compared without case; a word Typst hyphenated at a line end is whole again."""
    return [word.casefold() for word in WORD.findall(LINE_END_HYPHEN.sub(r"\1\2", text))]


def page_words(pdf: Path, cache: BuildCache) -> list[list[str]]:
    """Each page's words, cached by the PDF's content (a unit typeset before is not read again)."""
    reader = "pdftotext" if shutil.which("pdftotext") else "pypdf"
    key = digest(PAGELIST_VERSION, reader, pdf.read_bytes())
    known = cache.read_json("pagetext", key)
    if known is not None:
        return known
    try:
        texts = _pdftotext(pdf) if reader == "pdftotext" else _pypdf_text(pdf)
    except (OSError, subprocess.CalledProcessError):
        texts = _pypdf_text(pdf)  # poppler could not read it: pypdf's reading is slower, not worse
    words = [words_of(text) for text in texts]
    cache.write_json("pagetext", key, words)
    return words


def _pdftotext(pdf: Path) -> list[str]:
    """Poppler's text of each page (the worker has poppler for page images already): fast, in reading order."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout
    return text.decode("utf-8").split("\f")[:-1]  # every page ends with a form feed


def _pypdf_text(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def print_pages(unit_pdfs: dict[str, Path], ranges: dict[str, tuple[int, int, str, str]], labels: list[str],
                cache: BuildCache) -> list[PrintPage]:
    """Every page of the bound book but the cover, in order. ``ranges`` are each unit's first and last page
    (0-based) as ``bind_pdf`` returns them, ``labels`` every page's label."""
    owner: dict[int, tuple[str, int]] = {}
    for name, (first, last, _, _) in ranges.items():
        for index in range(first, last + 1):
            owner[index] = (name, index - first)
    words = {name: page_words(pdf, cache) for name, pdf in unit_pdfs.items() if name in ranges}
    pages, unit = [], ""
    for index, label in enumerate(labels):
        if label == "Cover":
            continue
        if index in owner:
            unit, unit_page = owner[index]
            text = words.get(unit, [])
            pages.append(PrintPage(label, unit, tuple(text[unit_page]) if unit_page < len(text) else ()))
        elif unit:
            pages.append(PrintPage(label, unit, ()))  # a blank verso closes the unit before it
    return pages


# -- marking the pages in the XHTML -----------------------------------------------------------------------

@dataclass(frozen=True)
class _Word:
    file: int
    element: etree._Element
    attribute: str  # "text" or "tail"
    offset: int
    word: str


def _words_in(body: etree._Element, file: int) -> list[_Word]:
    found: list[_Word] = []

    def visit(element: etree._Element) -> None:
        if not isinstance(element.tag, str) or element.tag in SKIPPED:
            return
        for match in WORD.finditer(element.text or ""):
            found.append(_Word(file, element, "text", match.start(), match.group().casefold()))
        for child in element:
            visit(child)
            for match in WORD.finditer(child.tail or ""):
                found.append(_Word(file, child, "tail", match.start(), match.group().casefold()))

    visit(body)
    return found


def page_starts(pages: list[PrintPage], epub_words: list[str]) -> list[int | None]:
    """For each page, the index of the EPUB word it begins at (None: at the end of the unit).

    A page begins at the first run of ``RUN`` of its words (a shorter page: all of them) found in the EPUB
    after the words the page before it was found to hold; a word Typst split across the page break is passed
    over that way. The first page begins at the unit's start; a page with no such run begins where the next one does."""
    runs: dict[tuple[str, ...], list[int]] = {}
    for index in range(len(epub_words) - RUN + 1):
        runs.setdefault(tuple(epub_words[index:index + RUN]), []).append(index)
    found: list[int | None] = [None] * len(pages)
    floor = 0
    for number, page in enumerate(pages):
        start = 0 if number == 0 else _first_run(page.words, epub_words, runs, floor)
        if start is not None:
            found[number] = start
            floor = start + _agreeing(page.words, epub_words, start)  # the next page begins after these words
    for number in range(len(pages) - 2, -1, -1):
        if found[number] is None:
            found[number] = found[number + 1]
    return found


def _agreeing(words: tuple[str, ...], epub_words: list[str], start: int) -> int:
    """How many words from ``start`` on are the page's own, from the first of its words found there."""
    offset = next((i for i, word in enumerate(words) if start < len(epub_words) and word == epub_words[start]), None)
    if offset is None:
        return 0
    count = 0
    while (offset + count < len(words) and start + count < len(epub_words)
           and words[offset + count] == epub_words[start + count]):
        count += 1
    return count


def _first_run(words: tuple[str, ...], epub_words: list[str], runs: dict, floor: int) -> int | None:
    if 0 < len(words) < RUN:  # a short page: its words in a row
        length = len(words)
        return next((i for i in range(floor, len(epub_words) - length + 1)
                     if tuple(epub_words[i:i + length]) == words), None)
    for offset in range(len(words) - RUN + 1):
        positions = runs.get(words[offset:offset + RUN], [])
        at = bisect.bisect_left(positions, floor)
        if at < len(positions):
            return positions[at]
    return None


def marker(label: str) -> etree._Element:
    span = etree.Element(f"{{{XHTML}}}span", id=page_id(label), role="doc-pagebreak", nsmap={"epub": OPS})
    span.set(f"{{{OPS}}}type", "pagebreak")
    span.set("aria-label", label)
    span.text = ""  # written <span …></span>: a reading system that parses it as HTML still closes it
    return span


def page_id(label: str) -> str:
    return f"page-{label}"


def mark_pages(files: list[bytes], pages: list[PrintPage]) -> tuple[list[bytes], list[tuple[str, int]]]:
    """The unit's XHTML files with a page-break marker where each page begins, and (label, file index) of
    each marker in page order. Files without a marker come back unchanged."""
    if not pages or not files:
        return files, []
    trees = [etree.fromstring(data).getroottree() for data in files]
    bodies = [tree.getroot().find(f"{{{XHTML}}}body") for tree in trees]
    words = [word for file, body in enumerate(bodies) for word in _words_in(body, file)]
    starts = page_starts(pages, [word.word for word in words])
    where: list[tuple[str, int]] = []
    touched = set()
    placed = list(zip(pages, starts))
    for page, start in reversed(placed):  # last first, so earlier offsets in a text stay where they are
        span = marker(page.label)
        if start is None or start >= len(words):
            file = len(bodies) - 1
            bodies[file].append(span)
        elif start == 0:
            file = 0
            bodies[0].insert(0, span)
            span.tail, bodies[0].text = bodies[0].text, None
        else:
            file = _insert_before(words[start], span)
        where.append((page.label, file))
        touched.add(file)
    where.reverse()
    out = [etree.tostring(tree, xml_declaration=True, encoding="UTF-8", doctype="<!DOCTYPE html>")
           if index in touched else data for index, (tree, data) in enumerate(zip(trees, files))]
    return out, where


def _insert_before(word: _Word, span: etree._Element) -> int:
    element = word.element
    if word.attribute == "text":
        text = element.text
        element.text, span.tail = text[:word.offset], text[word.offset:]
        element.insert(0, span)
    else:
        text = element.tail
        element.tail, span.tail = text[:word.offset], text[word.offset:]
        parent = element.getparent()
        parent.insert(parent.index(element) + 1, span)
    return word.file
