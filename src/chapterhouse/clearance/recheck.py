"""The re-check before security review: the checker's report read for what blocks a chapter from the package.

DOPSR takes only full and final text, so tracked changes, comments, hidden text and personal metadata block a
chapter whatever severity the call gives them (and cannot be waived); any other error blocks it unless the
editors waived that rule for the version. Plain Python; no Django.
"""

from __future__ import annotations

from collections.abc import Iterable

from chapterhouse.call.schema import ManuscriptRules

NEVER_WAIVED = ("tracked_changes", "comments", "hidden_text", "personal_metadata")


def rule_id(key: str) -> str:
    return "sanitization." + key.replace("_", "-")


def clearance_rules(rules: ManuscriptRules) -> ManuscriptRules:
    """The call's manuscript rules with the four never-waived sanitization checks made errors."""
    strict = rules.sanitization.model_copy(update=dict.fromkeys(NEVER_WAIVED, "error"))
    return rules.model_copy(update={"sanitization": strict})


def blocking(report: dict, waived: Iterable[tuple[str, str]] = ()) -> list[str]:
    """Why the chapter cannot go into the package (the findings' messages); [] when it may. ``waived`` holds the
    (rule, message) of each finding the editors waived on the version."""
    if report.get("refused"):
        return [report["refused"]["message"]]
    never = {rule_id(key) for key in NEVER_WAIVED}
    waived = {(rule, message) for rule, message in waived if rule not in never}
    return [f["message"] for f in report.get("findings", [])
            if f["rule"] in never or (f["severity"] == "error" and (f["rule"], f["message"]) not in waived)]
