"""Refuses chapters that are not final: unresolved tracked changes or comments, missing or unreadable files.

A galley typesets what the file says once every change is accepted or rejected; pandoc would silently accept
insertions, so a chapter still under revision is refused with the counts and the first changed words, naming
the file. The manuscript checker (issue 3) will produce these findings too; this small check sits on the shared
package reader so the two can be swapped. Plain Python; no Django.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from chapterhouse.ooxml.package import OoxmlPackage, PackageError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WORD_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "the text",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "the text",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml": "the footnotes",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml": "the endnotes",
}
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
# Tracked changes Word shows in the margin; each must be accepted or rejected before typesetting.
CHANGE_KINDS = {
    "ins": "insertion", "del": "deletion", "moveFrom": "move", "moveTo": "move",
    "rPrChange": "formatting change", "pPrChange": "formatting change", "sectPrChange": "formatting change",
    "tblPrChange": "formatting change", "trPrChange": "formatting change", "tcPrChange": "formatting change",
    "numberingChange": "formatting change",
}


@dataclass(frozen=True)
class Finding:
    """Why a file cannot be typeset yet. ``location`` names the manifest field and the file."""

    rule: str
    message: str
    location: str
    hint: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message} — {self.hint}"


def check_source(path: Path, location: str) -> list[Finding]:
    """Findings for one chapter or front-matter file (empty when it can be typeset)."""
    shown = f"{location} ({path})"
    if not path.exists():
        return [Finding("missing-file", "file not found", shown, "check the path; it is relative to the manifest")]
    if not path.is_file():
        return [Finding("missing-file", "is a folder, not a file", shown, "name the chapter's .docx file")]
    try:
        data = path.read_bytes()
    except OSError as error:
        return [Finding("unreadable", f"cannot be read ({error.strerror})", shown, "check the file's permissions")]
    if path.suffix.lower() != ".docx":
        return _check_text(data, shown)
    return _check_docx(data, shown)


def _check_text(data: bytes, shown: str) -> list[Finding]:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [Finding("unreadable", f"is not UTF-8 text (byte {error.start})", shown, "save it as UTF-8")]
    return []


def _check_docx(data: bytes, shown: str) -> list[Finding]:
    try:
        package = OoxmlPackage(data)
        types = package.content_types()
        main = package.main_document_part()
        if not main or not package.has(main):
            raise PackageError("no-document", "The package has no main document part, so it is not a Word document.")
        changes: Counter[str] = Counter()
        first_changed = ""
        comments = 0
        for name, content_type in sorted(types.items()):
            if content_type in WORD_PARTS or name == main:
                root = package.xml(name)
                found, sample = _tracked_changes(root)
                changes.update(found)
                first_changed = first_changed or sample
            elif content_type == COMMENTS_TYPE:
                comments += len(package.xml(name).findall(f"{{{W}}}comment"))
    except PackageError as error:
        return [Finding("unreadable", f"cannot be opened as a Word file: {error}", shown,
                        "open it in Word and save it again as .docx")]
    findings = []
    if changes:
        counts = ", ".join(f"{count} {kind}{'s' if count > 1 else ''}" for kind, count in sorted(changes.items()))
        sample = f" (first: “{first_changed}”)" if first_changed else ""
        findings.append(Finding("tracked-changes", f"has unresolved tracked changes: {counts}{sample}", shown,
                                "accept or reject every change in Word (Review › Accept/Reject All) and save again"))
    if comments:
        findings.append(Finding("comments", f"has {comments} comment{'s' if comments > 1 else ''}", shown,
                                "resolve and delete every comment in Word (Review › Delete All Comments) and save again"))
    return findings


def _tracked_changes(root: etree._Element) -> tuple[Counter[str], str]:
    found: Counter[str] = Counter()
    sample = ""
    for local, kind in CHANGE_KINDS.items():
        for element in root.iter(f"{{{W}}}{local}"):
            found[kind] += 1
            if not sample and kind != "formatting change":
                text = "".join(element.itertext()).strip()
                sample = (text[:60] + "…") if len(text) > 60 else text
    # A move is recorded twice (from and to); count it once.
    if found.get("move"):
        found["move"] = max(1, found["move"] // 2)
    return found, sample
