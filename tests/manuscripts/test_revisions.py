"""Every revision element of the WordprocessingML schema is a tracked-change finding at its place.

Each case plants one kind of revision in an otherwise compliant chapter (raw OOXML, at body paragraph 3 or in
styles.xml / numbering.xml); the chapter without it has no tracked-change finding at all.
"""

from __future__ import annotations

import pytest

from chapterhouse.ooxml.reader import read_manuscript
from tests.docx_factory import compliant_chapter, paragraph, run
from tests.manuscripts.conftest import check_doc, findings, only

MATH = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
BY = 'w:author="Reviser" w:date="2024-10-01T09:00:00Z"'
CELL = '<w:tc><w:tcPr>{}</w:tcPr><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc>'


def table(row_properties: str = "", cell_properties: str = "", table_properties: str = "", exceptions: str = "",
          grid: str = "") -> str:
    return (f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/>{table_properties}</w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="4000"/>{grid}</w:tblGrid>'
            f'<w:tr>{exceptions}<w:trPr>{row_properties}</w:trPr>{CELL.format(cell_properties)}</w:tr></w:tbl>')


BODY_CASES = {
    "insertion": (paragraph(run("Kept "), f'<w:ins w:id="1" {BY}><w:r><w:t>added</w:t></w:r></w:ins>'), "insertion"),
    "deletion": (paragraph(run("Kept "), f'<w:del w:id="1" {BY}><w:r><w:delText>gone</w:delText></w:r></w:del>'), "deletion"),
    "move from": (paragraph(f'<w:moveFrom w:id="1" {BY}><w:r><w:t>moved</w:t></w:r></w:moveFrom>'), "move"),
    "move range": (paragraph(f'<w:moveToRangeStart w:id="1" w:name="move1" {BY}/>', run("arrived"),
                             '<w:moveToRangeEnd w:id="1"/>'), "move range"),
    "run formatting": (paragraph(f'<w:r><w:rPr><w:b/><w:rPrChange w:id="1" {BY}><w:rPr/></w:rPrChange></w:rPr>'
                                 '<w:t>bold now</w:t></w:r>'), "formatting"),
    "paragraph formatting": (paragraph(run("Centred."), ppr=f'<w:jc w:val="center"/><w:pPrChange w:id="1" {BY}>'
                                       '<w:pPr/></w:pPrChange>'), "formatting"),
    "paragraph mark inserted": (paragraph(run("Split here."), ppr=f'<w:rPr><w:ins w:id="1" {BY}/></w:rPr>'), "paragraph mark"),
    "paragraph mark moved": (paragraph(run("Moved mark."), ppr=f'<w:rPr><w:moveFrom w:id="1" {BY}/></w:rPr>'), "paragraph mark"),
    "section properties": (paragraph(run("End of section."), ppr=f'<w:sectPr><w:pgSz w:w="12240" w:h="15840"/>'
                                     f'<w:sectPrChange w:id="1" {BY}><w:sectPr/></w:sectPrChange></w:sectPr>'),
                           "section formatting"),
    "numbering inserted": (paragraph(run("A list item."), ppr=f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/>'
                                     f'<w:ins w:id="1" {BY}/></w:numPr>'), "numbering insertion"),
    "numbering changed": (paragraph(run("A list item."), ppr=f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/>'
                                    f'<w:numberingChange w:id="1" {BY} w:original="%1."/></w:numPr>'), "numbering"),
    "custom XML insertion": (paragraph(f'<w:customXmlInsRangeStart w:id="1" {BY}/>', run("Tagged."),
                                       '<w:customXmlInsRangeEnd w:id="1"/>'), "custom XML insertion"),
    "custom XML deletion": (paragraph(f'<w:customXmlDelRangeStart w:id="1" {BY}/>', run("Tagged."),
                                      '<w:customXmlDelRangeEnd w:id="1"/>'), "custom XML deletion"),
    "insertion in an equation": (paragraph(run("Where "), f'<m:oMath {MATH}><m:r><m:t>x</m:t></m:r><w:ins w:id="1" {BY}>'
                                           '<m:r><m:t>+y</m:t></m:r></w:ins></m:oMath>'), "insertion in an equation"),
    "deletion in an equation": (paragraph(run("Where "), f'<m:oMath {MATH}><m:r><m:t>x</m:t></m:r><w:del w:id="1" {BY}>'
                                          '<m:r><m:t>SECRET</m:t></m:r></w:del></m:oMath>'), "deletion in an equation"),
    "row inserted": (table(row_properties=f'<w:ins w:id="1" {BY}/>'), "row insertion"),
    "row deleted": (table(row_properties=f'<w:del w:id="1" {BY}/>'), "row deletion"),
    "cell inserted": (table(cell_properties=f'<w:cellIns w:id="1" {BY}/>'), "cell insertion"),
    "cell deleted": (table(cell_properties=f'<w:cellDel w:id="1" {BY}/>'), "cell deletion"),
    "cells merged": (table(cell_properties=f'<w:cellMerge w:id="1" {BY} w:vMerge="cont"/>'), "cell merge"),
    "table properties": (table(table_properties=f'<w:tblPrChange w:id="1" {BY}><w:tblPr/></w:tblPrChange>'), "table formatting"),
    "table property exceptions": (table(exceptions=f'<w:tblPrEx><w:tblW w:w="0"/><w:tblPrExChange w:id="1" {BY}>'
                                        '<w:tblPrEx/></w:tblPrExChange></w:tblPrEx>'), "table formatting"),
    "row properties": (table(row_properties=f'<w:cantSplit/><w:trPrChange w:id="1" {BY}><w:trPr/></w:trPrChange>'), "row formatting"),
    "cell properties": (table(cell_properties=f'<w:shd w:fill="FF0000"/><w:tcPrChange w:id="1" {BY}><w:tcPr/></w:tcPrChange>'),
                        "cell formatting"),
    "table grid": (table(grid=f'<w:tblGridChange w:id="1" {BY}><w:tblGrid/></w:tblGridChange>'), "table grid"),
}


@pytest.mark.parametrize("case", list(BODY_CASES))
def test_each_revision_element_in_the_body_is_a_finding_at_its_paragraph(case):
    planted, kind = BODY_CASES[case]
    factory = compliant_chapter()
    factory.body.insert(2, planted)
    revisions = read_manuscript(factory.build()).revisions
    assert [(r.kind, r.author, r.location.part, r.location.paragraph) for r in revisions] == [
        (kind, "Reviser", "body", 3)], revisions
    finding = only(check_doc(factory), "sanitization.tracked-changes")
    assert finding.severity == "error" and "1 tracked change(s) by Reviser" in finding.message
    assert finding.location.paragraph == 3


def test_the_chapter_without_them_has_no_tracked_change_finding():
    assert read_manuscript(compliant_chapter().build()).revisions == []
    assert not findings(check_doc(compliant_chapter()), "sanitization.tracked-changes")


def test_formatting_changes_recorded_in_styles_are_found_and_named_by_style():
    factory = compliant_chapter()
    factory.styles += (f'<w:style w:type="paragraph" w:styleId="Memo"><w:name w:val="Memo"/>'
                       f'<w:pPr><w:jc w:val="both"/><w:pPrChange w:id="7" {BY}><w:pPr/></w:pPrChange></w:pPr>'
                       f'<w:rPr><w:i/><w:rPrChange w:id="8" {BY}><w:rPr/></w:rPrChange></w:rPr></w:style>')
    revisions = read_manuscript(factory.build()).revisions
    assert [(r.kind, r.location.part) for r in revisions] == [("formatting", "styles (styles.xml), style “Memo”")] * 2
    assert "2 tracked change(s) by Reviser" in only(check_doc(factory), "sanitization.tracked-changes").message


def test_a_change_in_numbering_definitions_is_found():
    factory = compliant_chapter()
    factory.numbering = (f'<w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/>'
                         f'<w:pPr><w:ind w:left="720"/><w:pPrChange w:id="9" {BY}><w:pPr/></w:pPrChange></w:pPr>'
                         f'</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="3"/></w:num>')
    [revision] = read_manuscript(factory.build()).revisions
    assert revision.location.part == "numbering definitions (numbering.xml), list 3"


def test_text_deleted_inside_an_equation_is_not_counted_but_is_screened():
    clean, deleted = compliant_chapter(), compliant_chapter()
    clean.body.insert(2, paragraph(run("Where "), f'<m:oMath {MATH}><m:r><m:t>x</m:t></m:r></m:oMath>'))
    deleted.body.insert(2, BODY_CASES["deletion in an equation"][0])
    assert check_doc(deleted).words == check_doc(clean).words
    model = read_manuscript(deleted.build())
    assert model.paragraphs[2].text == "Where x" and model.paragraphs[2].deleted == "SECRET"
    assert findings(check_doc(deleted), "security.marking")[0].location.part == "body (deleted text)"


def test_a_revision_in_a_footnote_and_in_a_header_is_located_there():
    factory = compliant_chapter()
    factory.body.insert(2, paragraph(run("Claim."), factory.footnote("Adams, Arms Sales, 3.")))  # printed as note 2
    factory.footnotes[-1] = factory.footnotes[-1].replace("</w:p>", f'<w:ins w:id="2" {BY}><w:r><w:t> added</w:t></w:r></w:ins></w:p>')
    factory.headers.append(paragraph(f'<w:del w:id="3" {BY}><w:r><w:delText>Draft</w:delText></w:r></w:del>'))
    places = [(r.kind, r.location.part, r.location.note) for r in read_manuscript(factory.build()).revisions]
    assert ("insertion", "footnote", 2) in places and ("deletion", "header (header1.xml)", None) in places
