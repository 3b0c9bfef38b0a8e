"""The check's report: findings grouped by severity, the word counts, and a versioned JSON form.

JSON schema ``chapterhouse.manuscript-check/1`` (one object per file; ``report.schema.json`` beside this file
states it formally)::

    {
      "schema": "chapterhouse.manuscript-check/1",
      "file": "chapter.docx",
      "passed": false,                   # true when no finding is an error and the file was read
      "refused": null | {"code": "encrypted", "message": "…"},   # the file could not be read at all
      "words": null | {"body": 5900, "notes": 1200, "bibliography": 412, "total": 7512},
      "counts": {"error": 2, "warning": 1, "info": 0},
      "findings": [{"rule": "spacing.body", "category": "spacing", "severity": "error", "message": "…",
                    "location": null | {"part": "body", "paragraph": 3, "note": null, "excerpt": "…"},
                    "hint": "…"}]
    }

A new version is made when a field changes meaning or goes away; adding a field keeps the version.
Plain Python; no Django.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import NamedTuple

from chapterhouse.manuscripts.findings import SEVERITIES, Finding
from chapterhouse.manuscripts.wordcount import WordCounts
from chapterhouse.ooxml.formats import NOT_CHECKED, refusal_message
from chapterhouse.ooxml.package import PackageError

SCHEMA = "chapterhouse.manuscript-check/1"
HEADINGS = {"error": "Errors", "warning": "Warnings", "info": "Notes"}
MARKS = {"error": "✗", "warning": "!", "info": "i"}


SIZE_HINT = ("A chapter is far smaller: send one chapter as its own Word document (if a chapter is this large "
             "because of its pictures, compress them in Word: File → Compress Pictures).")


class Refusal(NamedTuple):
    code: str
    message: str


@dataclass
class Report:
    file: str
    words: WordCounts | None
    findings: list[Finding] = field(default_factory=list)
    refusal: Refusal | None = None

    @classmethod
    def refused(cls, file: str, error: PackageError) -> Report:
        message = refusal_message(error, file or "The file")
        finding = Finding("format.word-document", "format", "error", message, None,
                          SIZE_HINT if error.code in NOT_CHECKED else
                          "Send the chapter as a Word Document (.docx) that opens in Word without a password.")
        return cls(file, None, [finding], Refusal(error.code, message))

    @property
    def passed(self) -> bool:
        return self.refusal is None and not any(f.severity == "error" for f in self.findings)

    @property
    def exit_code(self) -> int:
        """0 passed, 1 a rule failed, 2 the file could not be read (the CLI's exit codes)."""
        return 2 if self.refusal else 0 if self.passed else 1

    def counts(self) -> dict[str, int]:
        return {severity: sum(f.severity == severity for f in self.findings) for severity in SEVERITIES}

    def as_dict(self) -> dict:
        return {
            "schema": SCHEMA,
            "file": self.file,
            "passed": self.passed,
            "refused": {"code": self.refusal.code, "message": self.refusal.message} if self.refusal else None,
            "words": self.words.as_dict() if self.words else None,
            "counts": self.counts(),
            "findings": [f.as_dict() for f in self.findings],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)

    def render(self) -> str:
        """The readable report: a verdict line, the word counts, then findings grouped by severity."""
        if self.refusal:
            return f"{self.file}: REFUSED ({self.refusal.code})\n  {self.refusal.message}\n"
        counts = self.counts()
        verdict = "passed" if self.passed else "FAILED"
        tally = ", ".join(f"{n} {HEADINGS[s].lower() if n != 1 else s}" for s, n in counts.items() if n)
        lines = [f"{self.file}: {verdict}" + (f" — {tally}" if tally else "")]
        if self.words:
            w = self.words
            lines.append(f"  Words: {w.total:,} (body {w.body:,}, notes {w.notes:,}, bibliography {w.bibliography:,})")
        for severity in SEVERITIES:
            found = [f for f in self.findings if f.severity == severity]
            if found:
                lines.append(f"  {HEADINGS[severity]}:")
                for finding in found:
                    lines.append(f"    {MARKS[severity]} [{finding.rule}] {finding.message}")
                    if finding.location:
                        lines.append(f"        at {finding.location}")
                    if finding.hint:
                        lines.append(f"        fix: {finding.hint}")
        return "\n".join(lines) + "\n"
