"""Decides whether an uploaded proposal attachment is what it claims to be, and reads its text for screening.

Everything happens in memory on the uploaded bytes: a file is only stored after it has been identified and
screened. Each way a file can be wrong has its own message, because "invalid file" helps nobody.
Plain Python; no Django.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from chapterhouse.ooxml.formats import REFUSALS, WordFile, open_word, refusal_message, sniff
from chapterhouse.ooxml.package import PackageError
from chapterhouse.ooxml.reader import read_word
from chapterhouse.screening.markings import MarkingHit, TextBlock, scan_sensitivity_label

MAX_PDF_PAGES = 400
# The content type each accepted kind is stored and served with, decided by the server from the bytes.
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


class AttachmentRefused(ValueError):
    """The attachment cannot be taken; the message says why and what to do."""


@dataclass
class InspectedAttachment:
    kind: str  # "docx" or "pdf"
    blocks: list[TextBlock]
    label_hits: list[MarkingHit] = field(default_factory=list)
    # A Word file as opened and parsed for screening, so that the reviewers' copy reads the same parsed parts
    # rather than opening and parsing the package a second time (None for a PDF).
    word: WordFile | None = field(default=None, repr=False, compare=False)

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
        return _read_docx(filename, data, allowed)
    return InspectedAttachment("pdf", _read_pdf(filename, data))


def _read_docx(filename: str, data: bytes, allowed: list[str]) -> InspectedAttachment:
    try:
        word = open_word(data)
        manuscript = read_word(word, revisions=False)  # screening reads text; who changed it is not needed
    except PackageError as error:
        if error.code == "pdf" and "pdf" in allowed:  # a PDF is welcome here, just misnamed
            raise AttachmentRefused(f"“{filename}” is named .docx but is a PDF. Give it a .pdf name, or attach the Word file instead.") from None
        raise AttachmentRefused(refusal_message(error, f"“{filename}”")) from None
    blocks = list(manuscript.text_blocks())
    labels = [hit for label in manuscript.properties.labels if label.name
              for hit in scan_sensitivity_label(label.name, label.where)]
    return InspectedAttachment("docx", blocks, labels, word)


def _read_pdf(filename: str, data: bytes) -> list[TextBlock]:
    really = sniff(data)
    if really != "pdf":
        shown = "a Word (.docx) file" if really is None else REFUSALS[really][0]
        raise AttachmentRefused(f"“{filename}” is named .pdf but is {shown}.")
    active = _active_content(data)
    if active:
        raise AttachmentRefused(
            f"“{filename}” contains active content ({', '.join(active)}), which is not accepted. Save or export it "
            "again as a plain PDF (for example PDF/A, or “Print to PDF”) and attach that."
        )
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


ACTIVE_ACTIONS = {"/JavaScript": "JavaScript", "/Launch": "an action that starts a program", "/ImportData": "a data import",
                  "/SubmitForm": "a form that sends data", "/GoToE": "an embedded-file action", "/RichMediaExecute": "rich media"}
MAX_OBJECTS_SCANNED = 200_000


def _active_content(data: bytes) -> list[str]:
    """What in the PDF could run when it is opened (JavaScript, an OpenAction, launch actions, XFA); empty if none."""
    import pikepdf

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        return []  # the reader below refuses a password-protected file with its own message
    except (pikepdf.PdfError, ValueError, OSError, RecursionError):
        return []  # damaged: the reader below says so
    found: dict[str, None] = {}
    with pdf:
        root = pdf.Root
        if "/OpenAction" in root:
            found["an action that runs when it is opened"] = None
        if "/AA" in root:
            found["actions that run on document events"] = None
        names = root.get("/Names")
        if isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names:
            found["JavaScript"] = None
        form = root.get("/AcroForm")
        if isinstance(form, pikepdf.Dictionary) and "/XFA" in form:
            found["an XFA form"] = None
        for count, obj in enumerate(pdf.objects):
            if count > MAX_OBJECTS_SCANNED:
                break
            if not isinstance(obj, pikepdf.Dictionary):
                continue
            if "/JS" in obj:
                found["JavaScript"] = None
            kind = obj.get("/S")
            if kind is not None and str(kind) in ACTIVE_ACTIONS:
                found[ACTIVE_ACTIONS[str(kind)]] = None
            if obj.get("/Type") == pikepdf.Name.Page and "/AA" in obj:
                found["actions that run when a page opens"] = None
    return list(found)
