"""Numbers as people write them ("$5,000", "21,578 words") and the check report's order and totals: security
findings first, a waived finding no longer counted in the header."""

from types import SimpleNamespace

from django.template import Context, Template

from chapterhouse.chapters.report_view import report_context
from chapterhouse.web.templatetags.chapterhouse import dollars


def test_amounts_read_as_dollars_with_thousands_separated():
    assert dollars(5000) == "$5,000"
    assert dollars("12500.5") == "$12,500.50"
    assert dollars(0) == "$0"
    assert dollars(None) == "—"


def test_word_counts_and_ranges_take_a_thousands_separator_in_templates():
    text = Template("{% load humanize %}{{ n|intcomma }} words; {{ lo|intcomma }}–{{ hi|intcomma }} words").render(
        Context({"n": 21578, "lo": 4000, "hi": 8000}))
    assert text == "21,578 words; 4,000–8,000 words"


def _finding(category, severity, waiver=None):
    return {"category": category, "severity": severity, "rule": f"{category}.rule", "message": "m", "waiver": waiver}


def test_security_findings_come_first_and_waived_ones_are_not_counted():
    rules = SimpleNamespace(min_words=4000, max_words=8000, notes_count=True, bibliography_counts=False)
    call = SimpleNamespace(definition=SimpleNamespace(manuscript=rules))
    findings = [_finding("citations", "error"), _finding("length", "error", waiver={"reason": "agreed"}),
                _finding("spacing", "warning"), _finding("security", "warning"), _finding("sanitization", "error")]
    report = {"passed": False, "counts": {"error": 3, "warning": 2, "info": 0}}
    context = report_context(report, call, [dict(f, index=i) for i, f in enumerate(findings)])
    headings = [g["heading"] for g in context["groups"]]
    assert headings == ["Security markings", "Errors", "Warnings"]
    assert [f["category"] for f in context["groups"][0]["findings"]] == ["sanitization", "security"]
    assert context["counts"] == {"error": 2, "warning": 2, "info": 0, "waived": 1}
    assert context["unwaived_errors"] == 2
