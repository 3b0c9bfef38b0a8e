"""Decides whether an uploaded proposal attachment is what it claims to be, and reads its text for screening.

Everything happens in memory on the uploaded bytes: a file is only stored after it has been identified and
screened. Each way a file can be wrong has its own message, because "invalid file" helps nobody.
Plain Python; no Django.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from chapterhouse.ooxml.package import OLE2_MAGIC, ZIP_MAGIC, OoxmlPackage, PackageError
from chapterhouse.ooxml.text import sensitivity_labels, text_blocks
from chapterhouse.screening.markings import MarkingHit, TextBlock, scan_sensitivity_label

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
WORD_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_OTHER_OFFICE = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "an Excel workbook (.xlsx)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "a PowerPoint file (.pptx)",
}
MAX_PDF_PAGES = 400


class AttachmentRefused(ValueError):
    """The attachment cannot be taken; the message says why and what to do."""


@dataclass
class InspectedAttachment:
    kind: str  # "docx" or "pdf"
    blocks: list[TextBlock]
    label_hits: list[MarkingHit] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(block.text for block in self.blocks)


def inspect_attachment(filename: str, data: bytes, allowed: list[str], max_bytes: int) -> InspectedAttachment:
    """Identifies the file by its content and reads its text; raises AttachmentRefused with a specific reason."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    allowed_text = " or ".join(f".{kind}" for kind in allowed)
    if extension not in allowed:
        shown = f"a .{extension} file" if extension else "a file without an extension"
        raise AttachmentRefused(f"Only {allowed_text} files can be attached; “{filename}” is {shown}.")
    if not data:
        raise AttachmentRefused(f"“{filename}” is empty (0 bytes).")
    if len(data) > max_bytes:
        raise AttachmentRefused(
            f"“{filename}” is {len(data) / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB."
        )
    if extension == "docx":
        return InspectedAttachment("docx", *_read_docx(filename, data))
    return InspectedAttachment("pdf", _read_pdf(filename, data))


def _what_it_really_is(data: bytes) -> str | None:
    if data.startswith(OLE2_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            return "a password-protected Word file"
        return "an older Word 97–2003 (.doc) file"
    if data.lstrip()[:5] == b"%PDF-":
        return "a PDF"
    if data.startswith(b"{\\rtf"):
        return "an RTF file"
    if data.startswith(ZIP_MAGIC):
        return None
    if data[:4] in (b"\x89PNG", b"GIF8") or data[:3] == b"\xff\xd8\xff":
        return "an image"
    return "not a document we recognise"


def _read_docx(filename: str, data: bytes) -> tuple[list[TextBlock], list[MarkingHit]]:
    really = _what_it_really_is(data)
    if really == "a password-protected Word file":
        raise AttachmentRefused(f"“{filename}” is password-protected. Remove the password in Word and attach it again.")
    if really:
        advice = "Open it in Word and use Save As → Word Document (.docx)."
        if really == "a PDF":
            advice = "Give it a .pdf name, or attach the Word file instead."
        raise AttachmentRefused(f"“{filename}” is named .docx but is {really}. {advice}")
    try:
        package = OoxmlPackage(data)
        names = set(package.names())
        if "mimetype" in names and "content.xml" in names:
            raise AttachmentRefused(
                f"“{filename}” is named .docx but is an OpenDocument (.odt) file. Save it as Word Document (.docx)."
            )
        types = package.content_types()
        main = package.main_document_part()
        main_type = types.get(main or "", "")
        if main_type in _OTHER_OFFICE:
            raise AttachmentRefused(f"“{filename}” is named .docx but is {_OTHER_OFFICE[main_type]}.")
        if main_type == WORD_MACRO_MAIN:
            raise AttachmentRefused(
                f"“{filename}” is a macro-enabled Word document (.docm). Save it as a plain Word Document (.docx)."
            )
        if main_type not in (WORD_MAIN, WORD_TEMPLATE_MAIN, "") or main is None or not package.has(main):
            raise AttachmentRefused(f"“{filename}” is a ZIP file but not a Word document.")
        package.xml(main)  # the main document must parse even if side parts are damaged
        blocks = list(text_blocks(package))
        labels = [hit for label, where in sensitivity_labels(package) for hit in scan_sensitivity_label(label, where)]
    except PackageError as error:
        raise AttachmentRefused(f"“{filename}” cannot be read safely: {error}") from None
    return blocks, labels


def _read_pdf(filename: str, data: bytes) -> list[TextBlock]:
    really = _what_it_really_is(data)
    if really != "a PDF":
        shown = "a Word (.docx) file" if really is None else really
        raise AttachmentRefused(f"“{filename}” is named .pdf but is {shown}.")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise AttachmentRefused(f"“{filename}” is password-protected. Attach a copy without a password.")
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise AttachmentRefused(f"“{filename}” has {len(pages)} pages; attachments are limited to {MAX_PDF_PAGES}.")
        blocks = [
            TextBlock(text, f"page {number}")
            for number, page in enumerate(pages, start=1)
            if (text := page.extract_text() or "").strip()
        ]
        metadata = reader.metadata or {}
        for key in ("/Title", "/Subject", "/Keywords", "/Author"):
            value = metadata.get(key)
            if isinstance(value, str) and value.strip():
                blocks.append(TextBlock(value, f"PDF properties ({key.lstrip('/')})"))
    except AttachmentRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError, EOFError):
        raise AttachmentRefused(f"“{filename}” is a damaged PDF that cannot be read. Export it again and re-attach it.") from None
    if not any(block.location.startswith("page") for block in blocks):
        raise AttachmentRefused(
            f"“{filename}” has no text we can read (is it a scan?). Attach the Word file or a PDF exported from it."
        )
    return blocks
