"""The document model: every story and every kind of text, read from raw OOXML, python-docx and pandoc files."""

from __future__ import annotations

import io

import docx
import pypandoc
import pytest
from docx.shared import Pt

from chapterhouse.ooxml.reader import read_manuscript
from tests.conftest import CORPUS
from tests.docx_factory import DocxFactory, paragraph, run, text_box


def read(factory: DocxFactory):
    return read_manuscript(factory.build())


def test_tracked_insertions_are_kept_and_deletions_set_aside_which_python_docx_does_not_do():
    factory = DocxFactory()
    factory.add(run("Kept "), '<w:ins w:id="1" w:author="Ann" w:date="2024-05-01T00:00:00Z"><w:r><w:t>inserted</w:t></w:r></w:ins>',
                '<w:del w:id="2" w:author="Bob"><w:r><w:delText> deleted</w:delText></w:r></w:del>')
    data = factory.build()
    [p] = read_manuscript(data).paragraphs
    assert (p.text, p.deleted) == ("Kept inserted", " deleted")
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "Kept "  # python-docx drops the insertion
    revisions = read_manuscript(data).revisions
    assert [(r.kind, r.author, r.date) for r in revisions] == [("insertion", "Ann", "2024-05-01T00:00:00Z"),
                                                               ("deletion", "Bob", "")]
    assert revisions[0].location.paragraph == 1 and revisions[0].location.excerpt == "inserted"


def test_moves_and_formatting_changes_are_revisions_too():
    factory = DocxFactory()
    factory.add('<w:moveFrom w:id="1" w:author="A"><w:r><w:t>moved</w:t></w:r></w:moveFrom>',
                '<w:moveTo w:id="2" w:author="A"><w:r><w:t>moved</w:t></w:r></w:moveTo>',
                ppr='<w:pPrChange w:id="3" w:author="B"><w:pPr/></w:pPrChange>')
    document = read(factory)
    assert document.paragraphs[0].text == "moved" and document.paragraphs[0].deleted == "moved"
    assert sorted(r.kind for r in document.revisions) == ["formatting", "move", "move"]


def test_nested_fields_keep_their_codes_apart_from_their_results():
    factory = DocxFactory()
    factory.add(run("See "), '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>IF </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:instrText> = 1 "yes" </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>yes</w:t></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
                '<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>9</w:t></w:r></w:fldSimple>')
    document = read(factory)
    assert document.paragraphs[0].text == "See yes9"  # the inner PAGE result "1" is part of the IF's code
    assert [f.code for f in document.fields] == ["PAGE", 'IF 1 = 1 "yes"', "NUMPAGES"]


def test_a_text_box_is_read_once_from_the_branch_word_shows():
    factory = DocxFactory()
    factory.add(run("Anchor. "), text_box(paragraph(run("Boxed words here"))))
    document = read(factory)
    assert document.paragraphs[0].text == "Anchor. "
    assert [p.text for p in document.text_boxes] == ["Boxed words here"]
    assert str(document.text_boxes[0].location).startswith("text box in body, paragraph 1")
    assert not document.extra_text  # the fallback repeats the same text, so nothing extra to screen


def test_notes_are_numbered_in_the_order_the_text_cites_them_and_separators_are_skipped():
    factory = DocxFactory()
    second = factory.footnote("Second written, cited first.")
    first = factory.footnote("First written, cited second.")
    factory.add(run("A"), first, run(" B"), second)
    factory.footnotes.append(paragraph(run("Never cited.")))
    document = read(factory)
    assert [(n.number, n.id, n.text.strip()) for n in document.footnotes] == [
        (1, "2", "First written, cited second."), (2, "1", "Second written, cited first.")]
    assert [n.text for n in document.unreferenced_notes] == ["Never cited."]


def test_a_deleted_note_reference_leaves_its_note_out_of_the_chapter():
    factory = DocxFactory()
    reference = factory.footnote("Deleted with its reference.")
    factory.add(run("Text"), f'<w:del w:author="A">{reference}</w:del>')
    document = read(factory)
    assert document.footnotes == [] and len(document.unreferenced_notes) == 1


def test_comments_headers_footers_and_properties_are_read_with_their_places():
    factory = DocxFactory()
    factory.add("Body.")
    factory.comments.append(("Ann Editor", paragraph(run("Check this."))))
    factory.headers.append(paragraph(run("Running head")))
    factory.footers.append(paragraph(run("Page")))
    factory.core = {"dc:creator": "Jane", "cp:lastModifiedBy": "Ed"}
    factory.app = {"Company": "Agency", "Template": "Normal.dotm"}
    document = read(factory)
    [comment] = document.comments
    assert (comment.author, comment.text, str(comment.location)) == ("Ann Editor", "Check this.", "comment 1: “Check this.”")
    assert [(s.label, s.paragraphs[0].text) for s in document.headers + document.footers] == [
        ("header (header1.xml)", "Running head"), ("footer (footer1.xml)", "Page")]
    assert [(label, prop.value) for label, prop in document.properties.personal()] == [
        ("Author", "Jane"), ("Last modified by", "Ed"), ("Company", "Agency")]


def test_a_heading_named_bibliography_starts_the_bibliography_until_the_next_heading():
    styles = ('<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/></w:style>'
              '<w:style w:type="paragraph" w:styleId="H2"><w:name w:val="heading 2"/></w:style>')
    factory = DocxFactory(styles=styles)
    factory.add("Text.").add("Bibliography", style="H1").add("Primary Sources", style="H2").add("Adams, Ann. Book.")
    factory.add("Appendix", style="H1").add("More text.")
    roles = [(p.text, p.role) for p in read(factory).paragraphs]
    assert roles == [("Text.", "body"), ("Bibliography", "heading"), ("Primary Sources", "heading"),
                     ("Adams, Ann. Book.", "bibliography"), ("Appendix", "heading"), ("More text.", "body")]


def test_a_plain_paragraph_reading_references_starts_the_bibliography_too():
    factory = DocxFactory(styles="")
    factory.add("Text.").add("References:").add("Adams, Ann. Book.")
    assert [p.role for p in read(factory).paragraphs] == ["body", "heading", "bibliography"]


def test_a_python_docx_document_with_style_inheritance_and_a_comment():
    document = docx.Document()
    base = document.styles.add_style("Chapter Base", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    base.paragraph_format.line_spacing = 2.0
    base.font.size = Pt(12)
    body = document.styles.add_style("Chapter Body", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = base
    body.font.size = Pt(13)
    first = document.add_paragraph("Inherited spacing, own size.", style="Chapter Body")
    second = document.add_paragraph("Direct size.", style="Chapter Body")
    second.runs[0].font.size = Pt(11)
    document.add_comment(first.runs, text="Please check.", author="Reviewer One")
    buffer = io.BytesIO()
    document.save(buffer)
    model = read_manuscript(buffer.getvalue())
    inherited, direct = model.paragraphs
    assert (inherited.line, inherited.line_rule, inherited.sizes) == (480, "auto", {26: len(inherited.text)})
    assert direct.sizes == {22: len(direct.text)}
    assert [(c.author, c.text) for c in model.comments] == [("Reviewer One", "Please check.")]


def pandoc_docx(markdown: str, folder) -> bytes:
    out = folder / "pandoc.docx"
    pypandoc.convert_text(markdown, "docx", format="md", outputfile=str(out))
    return out.read_bytes()


def test_a_pandoc_document_from_markdown_with_footnotes(tmp_path):
    markdown = ("# A Chapter\n\nFirst claim.[^1] Second claim.[^2]\n\n> A block quotation.\n\n"
                "[^1]: Adams, *Arms Sales*, 12.\n[^2]: Baker, *Alliances*, 3--4.\n")
    model = read_manuscript(pandoc_docx(markdown, tmp_path))
    assert [(p.role, p.text) for p in model.paragraphs] == [
        ("heading", "A Chapter"), ("body", "First claim. Second claim."), ("block_quote", "A block quotation.")]
    assert [(n.number, n.text.strip()) for n in model.footnotes] == [(1, "Adams, Arms Sales, 12."), (2, "Baker, Alliances, 3–4.")]
    assert model.paragraphs[1].style == "First Paragraph"


@pytest.mark.parametrize("name", ["docx2python/strict.docx", "mammoth/strict-format.docx"])
def test_strict_ooxml_reads_like_transitional(name):
    model = read_manuscript(CORPUS / name)
    assert model.strict and any(p.text.strip() for p in model.paragraphs)


def test_google_docs_libreoffice_and_pages_files_read():
    for name in ("test-docx2python-conversion-google_docs.docx", "libreoffice_conversion.docx",
                 "created-in-pages-paragraphs-only.docx"):
        model = read_manuscript(CORPUS / "docx2python" / name)
        assert sum(p.words() for p in model.paragraphs) > 10, name


def test_the_model_gives_intake_its_text_blocks_and_labels():
    factory = DocxFactory()
    factory.add("Body text.")
    factory.custom = {"MSIP_Label_9_Name": "Internal", "MSIP_Label_9_Enabled": "true"}
    model = read_manuscript(factory.build())
    assert [b.location for b in model.text_blocks()][0] == "body, paragraph 1"
    assert [(label.name, label.where) for label in model.properties.labels if label.name] == [
        ("Internal", "document properties (sensitivity label MSIP_Label_9_Name)")]


def test_tables_keep_their_rows_and_cells_and_their_paragraphs_stay_in_the_body():
    factory = DocxFactory(styles='<w:style w:type="table" w:styleId="Grid"><w:name w:val="Table Grid"/></w:style>')
    factory.add("Before.")
    factory.body.append('<w:tbl><w:tblPr><w:tblStyle w:val="Grid"/></w:tblPr>'
                        f'<w:tr><w:tc>{paragraph("a1")}</w:tc><w:tc>{paragraph("b1")}{paragraph("b1 again")}</w:tc></w:tr>'
                        f'<w:tr><w:tc>{paragraph("a2")}</w:tc><w:tc>{paragraph("b2")}</w:tc></w:tr></w:tbl>')
    factory.add("After.")
    model = read(factory)
    [table] = model.tables
    assert (table.style, table.location.paragraph) == ("Table Grid", 2)
    assert [[[p.text for p in cell] for cell in row] for row in table.rows] == [
        [["a1"], ["b1", "b1 again"]], [["a2"], ["b2"]]]
    assert [p.role for p in model.paragraphs] == ["body", "table", "table", "table", "table", "table", "body"]
