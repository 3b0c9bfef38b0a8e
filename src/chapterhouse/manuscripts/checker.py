"""``check(path_or_bytes, rules) -> Report``: one Word chapter against a call's rules.

The API the upload flow calls and the CLI wraps. The file is read once into the document model, then every
rule in :data:`~chapterhouse.manuscripts.checks.RULES` runs on it. A file that is not a Word document or
is unsafe to read gives a report with the refusal (code and message) instead of findings; no exception
escapes for bad input. Plain Python; no Django.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from chapterhouse.manuscripts.checks import RULES
from chapterhouse.manuscripts.context import CheckRules, Context
from chapterhouse.manuscripts.findings import Finding
from chapterhouse.manuscripts.report import Report
from chapterhouse.ooxml.package import Limits, PackageError
from chapterhouse.ooxml.reader import read_manuscript

if TYPE_CHECKING:
    from chapterhouse.call.schema import CallDefinition, ManuscriptRules


def check(source: bytes | str | Path, rules: CallDefinition | ManuscriptRules | CheckRules,
          filename: str | None = None, limits: Limits = Limits()) -> Report:
    """Checks a .docx given as bytes or a path. ``filename`` names bytes in the report (and their extension)."""
    name = filename if filename is not None else ("" if isinstance(source, bytes) else str(source))
    try:
        document = read_manuscript(source, limits)
    except PackageError as error:
        return Report.refused(name, error)
    context = Context(document, CheckRules.of(rules), filename=name)
    findings = []
    for rule in RULES:
        try:
            findings += rule.findings(context)
        except Exception as error:  # a rule's own bug must not hide the other rules' findings, nor pass the file
            findings.append(Finding(rule.id, rule.category, "error",
                                    f"This rule could not be checked ({type(error).__name__}: {error}).", None,
                                    "Please send the file to the editors; this is a fault in the checker."))
    return Report(name, context.words, findings)
