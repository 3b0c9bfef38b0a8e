"""format: the file is a real WordprocessingML document that every part of could be read.

Files that are not Word documents at all (.doc, .pdf, encrypted, …) never reach these rules: the reader
refuses them and the checker reports the refusal under ``format.word-document``. Plain Python; no Django.
"""

from __future__ import annotations

from pathlib import PurePath

from chapterhouse.manuscripts.findings import Issue, rule
from chapterhouse.ooxml.document import Location

SAVE_AS = "In Word: File → Save As → Word Document (.docx)."


@rule("format.word-document")
def word_document(context):
    """A template or a Word file under another name is readable, but not what the call asks for."""
    if context.document.template:
        yield Issue("warning", "The file is a Word template (.dotx), not a document.", None, SAVE_AS)
    suffix = PurePath(context.filename).suffix.lower() if context.filename else ".docx"
    if suffix != ".docx":
        named = f"named {suffix}" if suffix else "named without an extension"
        yield Issue("warning", f"The file is {named} but is a Word document.", None,
                    "Rename it so that its name ends in .docx.")


@rule("format.damaged-part")
def damaged_parts(context):
    """A part that cannot be read could hide text from every other check, so it fails the file."""
    for part, problem in context.document.damaged_parts:
        yield Issue("error", f"The part {part} is damaged and could not be checked ({problem}).",
                    Location(f"package part {part}"), "Open the file in Word and save it again; Word repairs or drops damaged parts.")
