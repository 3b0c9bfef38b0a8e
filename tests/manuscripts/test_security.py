"""A CUI marking planted in each part of a Word file is found, as an error, at that part."""

from __future__ import annotations

import pytest

from tests.docx_factory import DocxFactory, compliant_chapter, paragraph, run, text_box
from tests.manuscripts.conftest import check_doc, findings

MARKING = "CUI//SP-CTI"


def body(factory):
    factory.body.insert(3, paragraph(run(f"Handling: {MARKING} applies.")))


def footnote(factory):
    # In marking position, opening the note: "…; marked CUI//SP-CTI." inside the note's sentence is a marking
    # written about, a warning (test_marking_rule_in_the_checker.py).
    factory.body.insert(1, paragraph(run("Claim."), factory.footnote(f"{MARKING} Adams, Arms Sales, 3.")))


def endnote(factory):
    factory.body.insert(1, paragraph(run("Claim."), factory.footnote(f"Marked {MARKING}.", kind="endnote")))


def header(factory):
    factory.headers.append(paragraph(run(MARKING)))


def footer(factory):
    factory.footers.append(paragraph(run(f"Page 1 {MARKING}")))


def comment(factory):
    factory.comments.append(("Ed Itor", paragraph(run(f"Is this {MARKING}?"))))


def text_box_(factory):
    factory.body.insert(2, paragraph(run("Figure. "), text_box(paragraph(run(f"Sidebar {MARKING}")))))


def text_box_fallback_only(factory):
    """Word shows the DrawingML text box; an older reader would show the VML copy, which here differs."""
    factory.body.insert(2, paragraph(text_box(paragraph(run("Clean sidebar")),
                                              fallback=paragraph(run(f"Sidebar {MARKING}")))))


def deleted_text(factory):
    factory.body.insert(2, paragraph(run("Kept. "), f'<w:del w:author="A"><w:r><w:delText>{MARKING}</w:delText></w:r></w:del>'))


def hidden_text(factory):
    factory.body.insert(2, paragraph(run("Shown. "), run(MARKING, "<w:vanish/>")))


def field_code(factory):
    factory.body.insert(2, paragraph('<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                                     f'<w:r><w:instrText> DOCPROPERTY "{MARKING}" </w:instrText></w:r>',
                                     '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', run("shown result"),
                                     '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))


def core_properties(factory):
    factory.core = {"dc:title": f"Chapter 3 {MARKING}"}


def app_properties(factory):
    factory.app = {"Company": MARKING}


def custom_properties(factory):
    factory.custom = {"Handling": MARKING}


def msip_label(factory):
    factory.custom = {"MSIP_Label_0a1b2c3d_Enabled": "true", "MSIP_Label_0a1b2c3d_Name": "CUI"}


def document_variable(factory):
    factory.settings = f'<w:docVars><w:docVar w:name="banner" w:val="{MARKING}"/></w:docVars>'


PARTS = {
    "body": (body, "body"),
    "footnote": (footnote, "footnote"),
    "endnote": (endnote, "endnote"),
    "header": (header, "header (header1.xml)"),
    "footer": (footer, "footer (footer1.xml)"),
    "comment": (comment, "comment"),
    "text box": (text_box_, "text box in body"),
    "text box (fallback only)": (text_box_fallback_only, "alternate content not shown, body, paragraph 3"),
    "deleted text": (deleted_text, "body (deleted text)"),
    "hidden text": (hidden_text, "body (hidden text)"),
    "field code": (field_code, "body (field code)"),
    "core properties": (core_properties, "document properties (core.xml: title)"),
    "app properties": (app_properties, "document properties (app.xml: Company)"),
    "custom properties": (custom_properties, "document properties (custom.xml: Handling)"),
    "document variable": (document_variable, "document variable 'banner' (settings.xml)"),
}


@pytest.mark.parametrize("part", list(PARTS))
def test_a_cui_marking_in_this_part_is_an_error_located_there(part):
    plant, where = PARTS[part]
    factory = compliant_chapter()
    plant(factory)
    found = findings(check_doc(factory), "security.marking")
    assert found, f"no marking found in {part}"
    assert all(f.severity == "error" for f in found)
    assert any(f.location.part == where for f in found), [str(f.location) for f in found]
    assert any(MARKING in f.message for f in found)


def test_a_sensitivity_label_named_cui_is_an_error():
    factory = compliant_chapter()
    msip_label(factory)
    report = check_doc(factory)
    [label] = findings(report, "security.sensitivity-label")
    assert label.severity == "error" and "“CUI”" in label.message
    assert "MSIP_Label_0a1b2c3d_Name" in label.location.part
    assert findings(report, "security.marking")  # the property's value is scanned too


def test_a_label_recorded_only_by_id_in_labelinfo_is_a_warning_to_check():
    factory = compliant_chapter()
    factory.label_info = ('<clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata">'
                          '<clbl:label id="{0a1b2c3d}" enabled="1" method="Privileged" siteId="{99}"/></clbl:labelList>')
    [label] = findings(check_doc(factory), "security.sensitivity-label")
    assert label.severity == "warning" and "0a1b2c3d" in label.message
    assert label.location.part == "sensitivity label (docMetadata/LabelInfo.xml)"


def test_a_public_sensitivity_label_passes():
    factory = compliant_chapter()
    factory.custom = {"MSIP_Label_1_Enabled": "true", "MSIP_Label_1_Name": "Public"}
    assert not findings(check_doc(factory), "security.sensitivity-label")


def test_prose_about_cui_is_not_a_marking():
    factory = compliant_chapter()
    factory.body.insert(2, paragraph(run("The chapter contains no controlled unclassified information (CUI); "
                                         "a secret of success is controlled by the Department.")))
    assert not findings(check_doc(factory), "security.marking")


def test_the_same_scanner_serves_proposal_intake():
    """Intake reads attachments through the same model, so it sees the same parts."""
    from chapterhouse.proposals.attachments import inspect_attachment

    factory = DocxFactory()
    factory.add("Clean text.")
    factory.footers.append(paragraph(run(MARKING)))
    inspected = inspect_attachment("proposal.docx", factory.build(), ["docx"], 10 * 1024 * 1024)
    assert any(MARKING in block.text and block.location == "footer (footer1.xml), paragraph 1" for block in inspected.blocks)


def test_a_marking_word_in_running_prose_is_a_warning_naming_it_not_an_error():
    factory = compliant_chapter()
    factory.body.insert(2, paragraph(run("DoD Instruction 5200.48 retired the FOUO marking in 2020.")))
    report = check_doc(factory)
    assert not findings(report, "security.marking")
    [warning] = findings(report, "security.marking-in-prose")
    assert warning.severity == "warning" and "“FOUO”" in warning.message and "inside a sentence" in warning.message
    assert warning.location.part == "body" and warning.location.paragraph == 3
    assert report.passed


def test_the_same_word_as_a_banner_line_still_fails_the_chapter():
    factory = compliant_chapter()
    factory.body.insert(2, paragraph(run("FOUO")))
    report = check_doc(factory)
    assert [f.severity for f in findings(report, "security.marking")] == ["error"]
    assert not findings(report, "security.marking-in-prose") and not report.passed


def test_a_phone_directory_with_cell_numbers_is_not_flagged():
    factory = compliant_chapter()
    for number in range(9):
        factory.body.insert(2, paragraph(run(f"(C) (315) 430-80{number:02}")))
    report = check_doc(factory)
    assert not findings(report, "security.marking") and not findings(report, "security.marking-in-prose")


def test_portion_marks_in_a_chapter_that_uses_them_fail_it():
    factory = compliant_chapter()
    factory.body.insert(2, paragraph(run("(U) The case opened in 2019.")))
    factory.body.insert(3, paragraph(run("(C) The partner's request is pending.")))
    [hit] = findings(check_doc(factory), "security.marking")
    assert hit.severity == "error" and "“(C)”" in hit.message and hit.location.paragraph == 4
