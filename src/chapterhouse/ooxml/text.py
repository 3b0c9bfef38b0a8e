"""Every piece of text a Word package carries, as located blocks for the marking scanner.

Screening must see what a reader of the printed page would not: deleted text, hidden text, field codes,
comments, headers and footers, text boxes and document properties. A thin wrapper over the one document model
(:mod:`chapterhouse.ooxml.reader`), kept for proposal intake. Plain Python; no Django.
"""

from __future__ import annotations

from collections.abc import Iterator

from chapterhouse.ooxml.formats import WordFile
from chapterhouse.ooxml.package import OoxmlPackage
from chapterhouse.ooxml.reader import DocumentReader
from chapterhouse.screening.markings import TextBlock


def _manuscript(package: OoxmlPackage):
    main = package.main_document_part() or "word/document.xml"
    return DocumentReader(WordFile(package, main, template=False)).read()


def text_blocks(package: OoxmlPackage) -> Iterator[TextBlock]:
    """Paragraphs of every story, then document properties and other hidden text, in reading order."""
    yield from _manuscript(package).text_blocks()


def sensitivity_labels(package: OoxmlPackage) -> list[tuple[str, str]]:
    """(label name, location) for Microsoft Information Protection labels whose name the file records."""
    return [(label.name, label.where) for label in _manuscript(package).properties.labels if label.name]
