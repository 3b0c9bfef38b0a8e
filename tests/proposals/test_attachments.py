"""Every way an attachment can be wrong gets its own message; a good one yields its text for screening."""

import io
import zipfile

import pytest
from pypdf import PdfWriter

from chapterhouse.proposals.attachments import AttachmentRefused, inspect_attachment
from chapterhouse.ooxml.package import OLE2_MAGIC
from tests.fixtures.files import ole2_file, odt_file, pdf_file, rezip, word_file

MB = 1024 * 1024


def inspect(name, data, allowed=("docx", "pdf"), limit=20 * MB):
    return inspect_attachment(name, data, list(allowed), limit)


def refusal(name, data, **kwargs):
    with pytest.raises(AttachmentRefused) as caught:
        inspect(name, data, **kwargs)
    return str(caught.value)


def test_a_word_file_is_read_with_every_paragraph_located():
    result = inspect("outline.docx", word_file("Introduction", "The argument."))
    assert result.kind == "docx"
    assert [(b.text, b.location) for b in result.blocks][:2] == [("Introduction", "body, paragraph 1"), ("The argument.", "body, paragraph 2")]


def test_headers_are_read_too():
    result = inspect("outline.docx", word_file("Body text", header="Running head"))
    assert any(b.location.startswith("header (header") and b.text == "Running head" for b in result.blocks)


def test_a_pdf_is_read_page_by_page():
    result = inspect("draft.pdf", pdf_file("First page text about offsets."))
    assert result.kind == "pdf"
    assert result.blocks[0].location == "page 1" and "offsets" in result.blocks[0].text


def test_the_wrong_extension_is_named():
    assert refusal("notes.txt", b"hello") == "Only .docx or .pdf files can be attached; “notes.txt” is a .txt file."


def test_an_empty_file_is_refused():
    assert refusal("empty.docx", b"") == "“empty.docx” is empty (0 bytes)."


def test_an_oversize_file_says_its_size_and_the_limit():
    assert refusal("big.pdf", b"%PDF-" + b"0" * (2 * MB), limit=MB) == "“big.pdf” is 2.0 MB; the limit is 1 MB."


def test_an_old_word_file_renamed_to_docx():
    message = refusal("chapter.docx", ole2_file())
    assert "older Word 97–2003 (.doc) file" in message and "Save As" in message


def test_a_password_protected_word_file():
    assert "password-protected" in refusal("chapter.docx", ole2_file(encrypted=True))


def test_a_pdf_named_docx():
    assert refusal("chapter.docx", pdf_file("Text")).startswith("“chapter.docx” is named .docx but is a PDF.")


def test_a_word_file_named_pdf():
    assert refusal("chapter.pdf", word_file("Text")) == "“chapter.pdf” is named .pdf but is a Word (.docx) file."


def test_an_odt_named_docx():
    assert "OpenDocument (.odt)" in refusal("chapter.docx", odt_file())


def test_an_rtf_named_docx():
    assert "is an RTF file" in refusal("chapter.docx", b"{\\rtf1\\ansi Hello}")


def test_a_macro_enabled_document():
    data = word_file("Text")
    content_types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    assert "macro-enabled" in refusal("chapter.docx", rezip(data, replace={"[Content_Types].xml": content_types}))


def test_a_truncated_word_file():
    data = word_file("Text " * 200)
    assert "damaged or incomplete" in refusal("chapter.docx", data[: len(data) // 2])


def test_a_zip_that_is_not_a_word_document():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "hello")
    assert "not an Office document" in refusal("chapter.docx", out.getvalue())


def test_a_doctype_in_a_part_is_refused_as_unsafe():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>')
    assert "DOCTYPE" in refusal("chapter.docx", rezip(word_file("x"), replace={"word/document.xml": bomb}))


def test_a_corrupt_pdf():
    assert "damaged PDF" in refusal("draft.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50)


def test_a_pdf_without_text():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    assert "no text we can read" in refusal("scan.pdf", out.getvalue())


def test_an_image_named_pdf():
    assert refusal("figure.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100) == "“figure.pdf” is named .pdf but is an image."


def test_a_docx_holding_a_vba_project_is_refused_like_a_docm():
    with_macros = rezip(word_file("Text"), add={"word/vbaProject.bin": OLE2_MAGIC + b"\x00" * 512})
    message = refusal("outline.docx", with_macros)
    assert message.startswith("“outline.docx” is a Word document that holds macros") and "Save As" in message
    assert inspect("outline.docx", word_file("Text")).kind == "docx"  # the same file without the project is taken


def test_an_attachment_whose_unreferenced_parts_expand_to_2_gb_is_refused_at_once():
    import time

    from tests.ooxml.test_hostile import unreferenced_parts_of

    bomb = unreferenced_parts_of(2048)
    assert len(bomb) < 20 * MB
    start = time.perf_counter()
    message = refusal("outline.docx", bomb)
    assert time.perf_counter() - start < 1.0
    assert message.startswith("“outline.docx” cannot be read safely: The package's")
    assert "2,040 MB in all" in message and "zip bomb" in message
    assert inspect("outline.docx", unreferenced_parts_of(80)).kind == "docx"  # 80 MB in all is within the cap
