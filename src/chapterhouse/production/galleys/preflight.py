"""Refuses chapters that are not final: unresolved tracked changes or comments, missing or unreadable files.

A galley typesets what the file says once every change is accepted or rejected; pandoc would silently accept
insertions, so a chapter still under revision is refused with the counts and the first changed words, naming
the file. It reads the chapter with the manuscript checker's reader, so both see the same changes and comments.
Plain Python; no Django.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from chapterhouse.ooxml.package import PackageError
from chapterhouse.ooxml.reader import read_manuscript

# The reader's revision kinds, as the refusal names them.
CHANGE_NAMES = {"formatting": "formatting change"}


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
        manuscript = read_manuscript(data)
    except PackageError as error:
        return [Finding("unreadable", f"cannot be opened as a Word file: {error}", shown,
                        "open it in Word and save it again as .docx")]
    findings = []
    if manuscript.revisions:
        changes = Counter(CHANGE_NAMES.get(r.kind, r.kind) for r in manuscript.revisions)
        if changes.get("move"):  # a move is recorded twice (from and to); count it once
            changes["move"] = max(1, changes["move"] // 2)
        counts = ", ".join(f"{count} {kind}{'s' if count > 1 else ''}" for kind, count in sorted(changes.items()))
        first = next((r.location.excerpt for r in manuscript.revisions if r.kind != "formatting" and r.location.excerpt), "")
        sample = f" (first: “{first}”)" if first else ""
        findings.append(Finding("tracked-changes", f"has unresolved tracked changes: {counts}{sample}", shown,
                                "accept or reject every change in Word (Review › Accept/Reject All) and save again"))
    if manuscript.comments:
        count = len(manuscript.comments)
        findings.append(Finding("comments", f"has {count} comment{'s' if count > 1 else ''}", shown,
                                "resolve and delete every comment in Word (Review › Delete All Comments) and save again"))
    return findings
