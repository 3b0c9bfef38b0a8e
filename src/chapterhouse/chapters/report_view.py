"""A checker report (its JSON form) shaped for the page a person reads: the verdict, the words against the
call's range as a bar, and each finding with its place, excerpt and fix. Used by the version page and the
public "check your chapter" page."""

from __future__ import annotations

from chapterhouse.manuscripts.findings import SEVERITIES
from chapterhouse.manuscripts.report import HEADINGS

CATEGORY_NAMES = {"format": "File format", "length": "Length", "spacing": "Line spacing", "font": "Font size",
                  "citations": "Citations", "terminology": "Terminology", "security": "Security markings",
                  "sanitization": "Before security review"}


def counted_words(words: dict, rules) -> int:
    """The words the call counts: the body, plus notes and bibliography when the call counts them."""
    return (words["body"] + (words["notes"] if rules.notes_count else 0)
            + (words["bibliography"] if rules.bibliography_counts else 0))


def word_bar(words: dict | None, rules) -> dict | None:
    """Percent positions for the bar: the allowed range as a band, the chapter's count as a bar."""
    if not words:
        return None
    count = counted_words(words, rules)
    scale = max(rules.max_words * 1.25, count * 1.05, 1)
    return {
        "count": count, "min": rules.min_words, "max": rules.max_words,
        "band_x": round(100 * rules.min_words / scale, 2),
        "band_width": round(100 * (rules.max_words - rules.min_words) / scale, 2),
        "bar_width": round(100 * count / scale, 2),
        "within": rules.min_words <= count <= rules.max_words,
        "short_by": max(rules.min_words - count, 0), "over_by": max(count - rules.max_words, 0),
        "parts": words,
    }


SECURITY_CATEGORIES = ("security", "sanitization")


def finding_groups(findings: list[dict]) -> list[dict]:
    """Security findings first, in a group of their own (they stop a chapter going to the security office), then
    the rest by severity; empty groups are left out."""
    rank = {severity: i for i, severity in enumerate(SEVERITIES)}
    security = sorted((f for f in findings if f["category"] in SECURITY_CATEGORIES), key=lambda f: rank[f["severity"]])
    others = [f for f in findings if f["category"] not in SECURITY_CATEGORIES]
    groups = [{"severity": "security", "heading": "Security markings", "findings": security}]
    groups += [{"severity": severity, "heading": HEADINGS[severity],
                "findings": [f for f in others if f["severity"] == severity]} for severity in SEVERITIES]
    return [g for g in groups if g["findings"]]


def standing_counts(findings: list[dict]) -> dict:
    """Findings per severity that still stand: a waived finding no longer counts; ``waived`` says how many were."""
    counts = {severity: 0 for severity in SEVERITIES}
    for finding in findings:
        if not finding.get("waiver"):
            counts[finding["severity"]] += 1
    counts["waived"] = sum(1 for f in findings if f.get("waiver"))
    return counts


def report_context(report: dict, call, findings: list[dict] | None = None) -> dict:
    """``findings`` may carry each finding's index and waiver (a stored version); else the report's own."""
    findings = findings if findings is not None else [dict(f, index=i) for i, f in enumerate(report.get("findings", []))]
    for finding in findings:
        finding["category_name"] = CATEGORY_NAMES.get(finding["category"], finding["category"])
    counts = standing_counts(findings)
    return {
        "report": report, "passed": report.get("passed", False), "refused": report.get("refused"),
        "counts": counts, "groups": finding_groups(findings),
        "bar": word_bar(report.get("words"), call.definition.manuscript), "unwaived_errors": counts["error"],
    }
