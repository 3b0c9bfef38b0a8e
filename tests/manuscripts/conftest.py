"""Helpers for the checker's tests: the default call's rules, and checking a built document."""

from __future__ import annotations

from functools import cache

from chapterhouse.call.schema import load_call
from chapterhouse.manuscripts import check
from tests.conftest import DEFAULT_CALL


@cache
def dscu_rules():
    return load_call(DEFAULT_CALL)


def rules_with(**manuscript_changes):
    """The default call with some manuscript rules changed, e.g. ``rules_with(citation_edition=18)``."""
    call = dscu_rules()
    manuscript = call.manuscript
    for key, value in manuscript_changes.items():
        if isinstance(value, dict):
            value = getattr(manuscript, key).model_copy(update=value)
        manuscript = manuscript.model_copy(update={key: value})
    return call.model_copy(update={"manuscript": manuscript})


def check_doc(factory, rules=None, filename="chapter.docx"):
    return check(factory.build(), rules or dscu_rules(), filename=filename)


def findings(report, rule):
    return [f for f in report.findings if f.rule == rule]


def only(report, rule):
    """The one finding of ``rule``; fails with the whole report when there is none or several."""
    found = findings(report, rule)
    assert len(found) == 1, report.render()
    return found[0]
