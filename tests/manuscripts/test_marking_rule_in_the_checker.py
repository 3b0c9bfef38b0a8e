"""Issue 22, item 3, in the checker: the marking rule written in screening/markings.py, on Word files.

A whole marking inside a running sentence is a warning (written about, not applied), a line that is only a
marking in mixed case is a warning, a statement that the work holds CUI and a "CUI:" label opening a paragraph or
a note are warnings; a banner in capitals stays an error; CUI discussed as a subject gives nothing."""

from __future__ import annotations

import pytest

from tests.docx_factory import compliant_chapter, paragraph, run
from tests.manuscripts.conftest import check_doc, findings


def checked_with(*paragraphs: str, note: str = ""):
    factory = compliant_chapter()
    for offset, text in enumerate(paragraphs):
        factory.body.insert(2 + offset, paragraph(run(text)))
    if note:
        factory.body.insert(2, paragraph(run("The office kept its own records."), factory.footnote(note)))
    return check_doc(factory)


def errors_and_warnings(report) -> tuple[list, list]:
    return findings(report, "security.marking"), findings(report, "security.marking-in-prose")


@pytest.mark.parametrize("text", [
    "A banner line such as SECRET//NOFORN appears at the top and bottom of every page of such a cable.",
    "Secret//Noforn",
    "The attached case data is CUI and will be cited.",
    "The retired FOUO marking gave way to the CUI program in 2020.",
])
def test_each_is_a_warning_not_an_error(text):
    errors, warnings = errors_and_warnings(checked_with(text))
    assert errors == [] and len(warnings) == 1, (errors, warnings)
    assert warnings[0].severity == "warning" and warnings[0].location.part == "body"


def test_a_footnote_opening_with_a_cui_label_is_a_warning_at_the_note():
    errors, [warning] = errors_and_warnings(checked_with(note="CUI: Chen, interview with a case manager, 2021."))
    assert errors == []
    assert warning.location.part == "footnote" and "“CUI:”" in warning.message


def test_a_banner_in_capitals_on_its_own_line_stays_an_error():
    errors, warnings = errors_and_warnings(checked_with("SECRET//NOFORN"))
    assert [e.severity for e in errors] == ["error"] and warnings == []


def test_cui_discussed_as_a_subject_gives_nothing():
    errors, warnings = errors_and_warnings(checked_with(
        "What is CUI? CUI is information the government creates or possesses that a law or policy protects.",
        "The CUI program replaced older markings, and this chapter contains no CUI."))
    assert errors == [] and warnings == []
