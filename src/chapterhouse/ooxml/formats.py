"""Says what a file really is from its bytes, and opens it only if it is a WordprocessingML document.

Authors rename files, save in the wrong format, or send a password-protected copy; each of those gets its own
refusal (a stable ``code`` and a sentence saying what to do), because "invalid file" helps nobody. Used by
proposal intake and by the manuscript checker. Plain Python; no Django.
"""

from __future__ import annotations

from typing import NamedTuple

from chapterhouse.ooxml.namespaces import REL_VBA
from chapterhouse.ooxml.package import OLE2_MAGIC, ZIP_MAGIC, Limits, OoxmlPackage, PackageError

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORD_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
WORD_MACRO_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
WORD_MACRO_TEMPLATE_MAIN = "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"
_OTHER_OFFICE = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": ("xlsx", "an Excel workbook (.xlsx)"),
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": ("xlsx", "an Excel workbook (.xlsm)"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": ("pptx", "a PowerPoint file (.pptx)"),
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": ("pptx", "a PowerPoint file (.pptm)"),
}
SAVE_AS_DOCX = "Open it in Word and use Save As → Word Document (.docx)."

# What each refusal code says a file is, and what the author should do; intake and the checker both use these.
REFUSALS = {
    "empty": ("empty (0 bytes)", "Send the chapter file itself."),
    "encrypted": ("password-protected (encrypted)", "Remove the password in Word (File → Info → Protect Document) and save again."),
    "doc": ("an older Word 97–2003 (.doc) file", SAVE_AS_DOCX),
    "pdf": ("a PDF", "Send the Word file the PDF was made from."),
    "rtf": ("an RTF file", SAVE_AS_DOCX),
    "odt": ("an OpenDocument (.odt) file", "Save it as Word Document (.docx)."),
    "docm": ("a macro-enabled Word document (.docm)", "Save it as a plain Word Document (.docx); that removes the macros."),
    "dotm": ("a macro-enabled Word template (.dotm)",
             "Open it in Word and use Save As → Word Document (.docx); that removes the macros."),
    "macros": ("a Word document that holds macros (a VBA project, as a .docm does)",
               "Open it in Word and use Save As → Word Document (.docx); that removes the macros."),
    "damaged-directory": ("damaged: it is complete, but the ZIP directory listing its parts is corrupt",
                          "Open it in Word, which offers to repair it, then save it again as a Word Document (.docx)."),
    "xlsx": ("an Excel workbook", "Send the chapter as a Word Document (.docx)."),
    "pptx": ("a PowerPoint file", "Send the chapter as a Word Document (.docx)."),
    "image": ("an image", "Send the chapter as a Word Document (.docx)."),
    "html": ("a web page (HTML)", SAVE_AS_DOCX),
    "text": ("plain text", SAVE_AS_DOCX),
    "zip-not-word": ("a ZIP file but not a Word document", SAVE_AS_DOCX),
    "unknown": ("not a document we recognise", SAVE_AS_DOCX),
}


# What happened, for the codes of package.py: a file too large or too slow to be a chapter was not checked; a
# damaged one cannot be read; only the tricks of hostile files are called unsafe.
NOT_CHECKED = {"file-too-large", "document-too-large", "too-slow"}
DAMAGED = {"truncated", "damaged-entry", "xml-malformed", "missing-part", "no-content-types", "not-zip", "unreadable",
           "encrypted-entry"}


def refusal_message(error: PackageError, subject: str = "The file") -> str:
    """A sentence naming ``subject`` (e.g. the file name) and what is wrong with it, for any PackageError."""
    if error.code in REFUSALS:
        what, advice = REFUSALS[error.code]
        return f"{subject} is {what}. {advice}"
    if error.code in NOT_CHECKED:
        return f"{subject} was not checked: {error}"
    if error.code in DAMAGED:
        return f"{subject} cannot be read: {error}"
    return f"{subject} cannot be read safely: {error}"


class WordFile(NamedTuple):
    """An opened Word package and the facts about its format that the checker reports."""

    package: OoxmlPackage
    main_part: str
    template: bool  # a .dotx: a Word template rather than a document

    def fresh_budget(self) -> WordFile:
        """The same file for another reader: parts already parsed are not parsed again, and the reader has the
        budget a second :func:`open_word` of the same bytes would give it (:meth:`OoxmlPackage.fresh_budget`)."""
        return self._replace(package=self.package.fresh_budget())


def refusal(code: str) -> PackageError:
    what, advice = REFUSALS[code]
    return PackageError(code, f"The file is {what}. {advice}")


def sniff(data: bytes) -> str | None:
    """The refusal code for bytes that are plainly not a ZIP package (None for a ZIP, to be opened and looked at)."""
    if not data:
        return "empty"
    if data.startswith(OLE2_MAGIC):
        # Word's password protection wraps the .docx in an OLE2 file holding EncryptionInfo/EncryptedPackage.
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            return "encrypted"
        return "doc"
    if data.startswith(ZIP_MAGIC):
        return None
    head = data[:1024].lstrip()
    if head[:5] == b"%PDF-" or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if data[:4] in (b"\x89PNG", b"GIF8") or data[:3] == b"\xff\xd8\xff" or data[:4] in (b"II*\x00", b"MM\x00*"):
        return "image"
    if head[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    if data.startswith(b"PK"):
        return "unknown"  # a ZIP that does not start with a local file header: damaged or not ours
    try:
        data[:4096].decode("utf-8")
        return "text"
    except UnicodeDecodeError:
        return "unknown"


def open_word(source: bytes, limits: Limits = Limits()) -> WordFile:
    """Opens ``source`` as a Word document or raises PackageError with a specific code and message."""
    code = sniff(source)
    if code:
        raise refusal(code)
    package = OoxmlPackage(source, limits)
    names = set(package.names())
    if "mimetype" in names and ("content.xml" in names or package.read("mimetype", 256).startswith(b"application/vnd.oasis")):
        raise refusal("odt")
    types = package.content_types()
    main = package.main_document_part()
    main_type = types.get(main or "", "")
    if main_type in _OTHER_OFFICE:
        raise refusal(_OTHER_OFFICE[main_type][0])
    if main_type == WORD_MACRO_MAIN:
        raise refusal("docm")
    if main_type == WORD_MACRO_TEMPLATE_MAIN:
        raise refusal("dotm")
    if main is None or not package.has(main) or main_type not in (WORD_MAIN, WORD_TEMPLATE_MAIN, ""):
        raise refusal("zip-not-word")
    if _holds_macros(package, main):
        raise refusal("macros")
    return WordFile(package, main, template=main_type == WORD_TEMPLATE_MAIN)


def _holds_macros(package: OoxmlPackage, main: str) -> bool:
    """A VBA project part anywhere, or the main part's relationship to one: macros whatever the content type says."""
    if any(name.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for name in package.names()):
        return True
    return any(rel.type == REL_VBA for rel in package.relationships(main))
