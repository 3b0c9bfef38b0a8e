"""Places a marking used to hide: watermarks, WordArt, SmartArt, charts, alt text, table captions, embedded files.

Each is planted as raw OOXML in an otherwise compliant chapter; each place with a marking is an error located
there, and the same place with ordinary words is not flagged.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from chapterhouse.ooxml.reader import read_manuscript
from tests.docx_factory import DocxFactory, compliant_chapter, paragraph, run, zip_parts
from tests.manuscripts.conftest import check_doc, findings

MARKING = "SECRET//NOFORN"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
C = 'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"'


def marking_places(factory) -> list[str]:
    return [f.location.part for f in findings(check_doc(factory), "security.marking")]


def with_header(*header_paragraphs: str) -> DocxFactory:
    """A compliant chapter whose one section uses header1.xml, as Word writes a watermark's header."""
    factory = compliant_chapter()
    factory.headers.append("".join(header_paragraphs))
    rels = zipfile.ZipFile(io.BytesIO(factory.build())).read("word/_rels/document.xml.rels").decode()
    rid = re.search(r'Id="(rId\d+)"[^>]*Target="header1.xml"', rels).group(1)
    factory.body.append(paragraph(run("End."), ppr=f'<w:sectPr><w:headerReference w:type="default" r:id="{rid}"/></w:sectPr>'))
    return factory


def vml_watermark(text: str) -> str:
    return ('<w:r><w:pict><v:shape id="PowerPlusWaterMarkObject1" type="#_x0000_t136" style="position:absolute">'
            f'<v:textpath style="font-family:&quot;Calibri&quot;" string="{text}"/></v:shape></w:pict></w:r>')


def drawingml_wordart(text: str) -> str:
    return (f'<w:r><w:drawing><wp:anchor><wp:docPr id="2" name="WordArt 1"/><a:graphic><a:graphicData>'
            f'<wps:wsp><wps:txbx><w:txbxContent>{paragraph(run(text))}</w:txbxContent></wps:txbx>'
            '<wps:bodyPr><a:prstTxWarp prst="textPlain"/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic>'
            '</wp:anchor></w:drawing></w:r>')


def alternate(choice: str, fallback: str, requires: str = "wps") -> str:
    inner = lambda run_xml: run_xml.removeprefix("<w:r>").removesuffix("</w:r>")  # noqa: E731
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="{requires}">{inner(choice)}</mc:Choice>'
            f'<mc:Fallback>{inner(fallback)}</mc:Fallback></mc:AlternateContent></w:r>')


# -- watermarks ---------------------------------------------------------------------------------------------

def test_a_vml_watermark_is_read_and_reported_as_the_watermark_of_its_section():
    places = marking_places(with_header(paragraph(vml_watermark(MARKING))))
    assert places == ["watermark in the header of section 1 (header1.xml), VML, which Word shows"]


def test_a_harmless_watermark_is_not_flagged():
    assert marking_places(with_header(paragraph(vml_watermark("DRAFT")))) == []


def test_a_drawingml_watermark_with_its_vml_copy_says_which_one_word_shows():
    factory = with_header(paragraph(alternate(drawingml_wordart("CONFIDENTIAL"), vml_watermark("CONFIDENTIAL"))))
    places = marking_places(factory)
    assert "watermark in the header of section 1 (header1.xml), Word shows it" in places
    assert ("watermark in the header of section 1 (header1.xml), VML in the alternate copy Word does not show "
            "(older readers show it)") in places
    assert not any(place.startswith("alternate content not shown") for place in places)


def test_when_word_cannot_read_the_choice_the_vml_watermark_is_the_one_it_shows():
    factory = with_header(paragraph(alternate(drawingml_wordart("Draft"), vml_watermark("CONFIDENTIAL"),
                                              requires="w99future")))
    assert marking_places(factory) == ["watermark in the header of section 1 (header1.xml), VML, which Word shows"]


def test_wordart_in_the_body_is_located_at_its_paragraph():
    factory = compliant_chapter()
    factory.body.insert(2, paragraph(run("Figure. "), vml_watermark("TOP SECRET//SCI")))
    assert marking_places(factory) == ["WordArt in body, paragraph 3, VML, which Word shows"]


# -- SmartArt and charts ------------------------------------------------------------------------------------

def smartart(text: str) -> str:
    return ('<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" ' + A + '><dgm:ptLst>'
            '<dgm:pt modelId="{1}" type="doc"><dgm:t><a:bodyPr/><a:p><a:r><a:t>Process</a:t></a:r></a:p></dgm:t></dgm:pt>'
            f'<dgm:pt modelId="{{2}}"><dgm:t><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></dgm:t></dgm:pt>'
            '</dgm:ptLst></dgm:dataModel>')


def chart(title: str = "Sales", axis: str = "Year", series: str = "Deliveries", category: str = "2023",
          value: str = "42") -> str:
    rich = lambda text: f'<c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></c:rich></c:tx>'  # noqa: E731
    return (f'<c:chartSpace {C} {A}><c:chart><c:title>{rich(title)}</c:title><c:plotArea><c:barChart><c:ser>'
            f'<c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:pt idx="0"><c:v>{series}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
            f'<c:cat><c:strRef><c:strCache><c:pt idx="0"><c:v>{category}</c:v></c:pt></c:strCache></c:strRef></c:cat>'
            f'<c:val><c:numRef><c:numCache><c:pt idx="0"><c:v>{value}</c:v></c:pt></c:numCache></c:numRef></c:val>'
            f'</c:ser></c:barChart><c:catAx><c:title>{rich(axis)}</c:title></c:catAx></c:plotArea></c:chart></c:chartSpace>')


def with_part(name: str, xml: str) -> DocxFactory:
    factory = compliant_chapter()
    factory.extra_parts[name] = xml
    return factory


def test_smartart_text_is_screened():
    assert marking_places(with_part("word/diagrams/data1.xml", smartart(MARKING))) == ["SmartArt (word/diagrams/data1.xml)"]
    assert marking_places(with_part("word/diagrams/data1.xml", smartart("Partner capacity"))) == []


@pytest.mark.parametrize("where", ["title", "axis", "series", "category", "value"])
def test_chart_text_is_screened_wherever_it_sits(where):
    assert marking_places(with_part("word/charts/chart1.xml", chart(**{where: MARKING}))) == ["chart (word/charts/chart1.xml)"]


def test_an_ordinary_chart_is_not_flagged():
    assert marking_places(with_part("word/charts/chart1.xml", chart())) == []


# -- alt text and table captions -----------------------------------------------------------------------------

def picture(descr: str = "", title: str = "") -> str:
    return (f'<w:r><w:drawing><wp:inline><wp:docPr id="3" name="Picture 3" descr="{descr}" title="{title}"/>'
            '<a:graphic><a:graphicData/></a:graphic></wp:inline></w:drawing></w:r>')


def captioned_table(caption: str = "", description: str = "") -> str:
    return (f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblCaption w:val="{caption}"/>'
            f'<w:tblDescription w:val="{description}"/></w:tblPr><w:tblGrid><w:gridCol w:w="4000"/></w:tblGrid>'
            '<w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')


ALT_TEXT = {
    "picture description": (lambda text: paragraph(picture(descr=text)), "alt text of a picture in body, paragraph 3"),
    "picture title": (lambda text: paragraph(picture(title=text)), "alt text of a picture in body, paragraph 3"),
    "VML picture alt": (lambda text: paragraph(f'<w:r><w:pict><v:shape alt="{text}"><v:imagedata r:id="rId99"/>'
                                               '</v:shape></w:pict></w:r>'), "alt text of a picture in body, paragraph 3"),
    "table caption": (lambda text: captioned_table(caption=text), "table caption (alt text), body, paragraph 3"),
    "table description": (lambda text: captioned_table(description=text), "table description (alt text), body, paragraph 3"),
}


@pytest.mark.parametrize("case", list(ALT_TEXT))
def test_alt_text_and_table_descriptions_are_screened(case):
    make, where = ALT_TEXT[case]
    marked, plain = compliant_chapter(), compliant_chapter()
    marked.body.insert(2, make(MARKING))
    plain.body.insert(2, make("A map of partner nations"))
    assert marking_places(marked) == [where]
    assert marking_places(plain) == []


# -- embedded Office files -----------------------------------------------------------------------------------

def workbook(text: str) -> bytes:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    sml = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    return zip_parts({
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               f'<Override PartName="/xl/workbook.xml" ContentType="{main}"/></Types>',
        "xl/workbook.xml": f'<workbook {sml}><sheets><sheet name="Costs" sheetId="1"/></sheets></workbook>',
        "xl/sharedStrings.xml": f'<sst {sml}><si><t>Case</t></si><si><t>{text}</t></si></sst>',
        "xl/worksheets/sheet1.xml": f'<worksheet {sml}><sheetData><row r="1"><c r="A1"><v>12</v></c></row></sheetData></worksheet>',
    })


def presentation(text: str) -> bytes:
    return zip_parts({"[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
                      "ppt/slides/slide1.xml": f'<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" {A}>'
                                               f'<a:p><a:r><a:t>{text}</a:t></a:r></a:p></p:sld>'})


def document(text: str) -> bytes:
    return DocxFactory().add("Annex").add(text).build()


def embedding(name: str, data: bytes) -> DocxFactory:
    factory = compliant_chapter()
    factory.extra_parts[f"word/embeddings/{name}"] = data
    return factory


EMBEDDED = {
    "workbook": ("Microsoft_Excel_Worksheet.xlsx", workbook, "embedded workbook Microsoft_Excel_Worksheet.xlsx, part xl/sharedStrings.xml"),
    "presentation": ("Slides.pptx", presentation, "embedded presentation Slides.pptx, part ppt/slides/slide1.xml"),
    "document": ("Annex.docx", document, "embedded document Annex.docx, body, paragraph 2"),
}


@pytest.mark.parametrize("kind", list(EMBEDDED))
def test_the_text_of_an_embedded_office_file_is_screened(kind):
    name, make, where = EMBEDDED[kind]
    assert marking_places(embedding(name, make(MARKING))) == [where]
    assert marking_places(embedding(name, make("Delivery costs by year"))) == []


def test_an_office_file_embedded_two_levels_deep_is_refused_as_unscreened():
    inner = DocxFactory().add("Annex")
    inner.extra_parts["word/embeddings/Deeper.docx"] = document("Deep text")
    report = check_doc(embedding("Annex.docx", inner.build()))
    [finding] = findings(report, "security.unscreened-embedding")
    assert finding.severity == "error" and "Deeper.docx" in finding.message and "level deep" in finding.message
    assert not findings(check_doc(embedding("Annex.docx", document("Annex text"))), "security.unscreened-embedding")


def test_an_embedded_file_that_cannot_be_opened_is_refused_with_what_is_wrong():
    [finding] = findings(check_doc(embedding("Broken.xlsx", b"PK\x03\x04 not really a zip")), "security.unscreened-embedding")
    assert "word/embeddings/Broken.xlsx" in finding.message and "damaged" in finding.message


def test_an_embedded_file_spends_what_is_left_of_the_outer_files_budget():
    """The inner file gets what the outer one has not used: on its own budget it would have been read."""
    from chapterhouse.ooxml.formats import open_word
    from chapterhouse.ooxml.package import Limits
    from chapterhouse.ooxml.reader import DocumentReader

    annex = DocxFactory()
    for number in range(300):
        annex.add(f"Annex line {number}.")
    outer = embedding("Annex.docx", annex.build()).build()
    alone = open_word(annex.build())
    DocumentReader(alone).read()
    tight = Limits(max_xml_tokens=alone.package.xml_tokens + 100)  # the annex alone fits; with the chapter, not
    [(part, why)] = read_manuscript(outer, tight).unscreened
    assert part == "word/embeddings/Annex.docx" and "XML elements" in why
    assert read_manuscript(outer).unscreened == []


def test_proposal_intake_screens_embedded_files_too():
    from chapterhouse.proposals.attachments import inspect_attachment

    factory = DocxFactory().add("Outline.")
    factory.extra_parts["word/embeddings/Costs.xlsx"] = workbook(MARKING)
    blocks = inspect_attachment("outline.docx", factory.build(), ["docx"], 10 * 1024 * 1024).blocks
    assert any(MARKING in block.text and "embedded workbook Costs.xlsx" in block.location for block in blocks)
