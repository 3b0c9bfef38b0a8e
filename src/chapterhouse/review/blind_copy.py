"""The reviewer's copy of an attachment under double-blind review, and what it still says about the authors.

A reviewer never receives the author's file: they receive a new one written from what was read of it (Word:
:mod:`.blind_docx` and :mod:`.blind_docx_writer`; PDF: :mod:`.blind_pdf`). Intake builds the same copy and
reports what it still names (:func:`~chapterhouse.screening.identities.places_naming`), so the editor is told what reviewers will get rather
than what was hoped. Plain Python; no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pypdf.errors import PyPdfError

from chapterhouse.ooxml.formats import WordFile
from chapterhouse.ooxml.package import PackageError
from chapterhouse.review.blind_docx import read_blind_document
from chapterhouse.review.blind_docx_writer import write_blind_docx
from chapterhouse.review.blind_pdf import UnreadablePdf, blind_pdf_copy, pages_text
from chapterhouse.review.redaction import PLACEHOLDER
from chapterhouse.screening.markings import TextBlock


class CopyNotWritten(ValueError):
    """The attachment could not be read to write a reviewer's copy; the message says why."""


@dataclass(frozen=True)
class ReviewerCopy:
    data: bytes
    passages: tuple[TextBlock, ...]  # what the copy says, each with its place ("page 2", "footnote 1, paragraph 1")
    left_out: tuple[str, ...] = ()  # what of the author's text or pictures could not be carried

    @property
    def replaced(self) -> int:
        """How many passages of the copy have an author replaced by the placeholder."""
        return sum(1 for passage in self.passages if PLACEHOLDER in passage.text)


def reviewer_copy(kind: str, data: bytes, authors: re.Pattern | None, opened: WordFile | None = None) -> ReviewerCopy:
    """The new file a reviewer receives for an attachment of ``kind`` ("docx" or "pdf"), authors (the
    :func:`~chapterhouse.screening.identities.identity_pattern`) replaced in a Word file's text.

    ``opened``: a Word ``data`` as intake already opened it for screening, so that its package is not opened
    and parsed a second time (the copy is the same either way)."""
    try:
        if kind == "docx":
            document = read_blind_document(data, authors, opened)
            passages = tuple(TextBlock(paragraph.text, where) for where, paragraph in document.located_paragraphs()
                             if paragraph.text.strip())
            return ReviewerCopy(write_blind_docx(document), passages, tuple(document.left_out))
        copy = blind_pdf_copy(data)
        return ReviewerCopy(copy, tuple(TextBlock(text, f"page {number}") for number, text in pages_text(copy)))
    except (PackageError, UnreadablePdf, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            OSError, EOFError, RecursionError) as error:
        raise CopyNotWritten(f"the attachment could not be read to write the reviewers' copy ({error})") from None
