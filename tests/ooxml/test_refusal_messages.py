"""Issue 22, item 4: every refusal of the reader and checker, from a file that really triggers it, says what
happened. A real document too large for a chapter is refused as too large (its size and the limit), not as an
attack; only files packed or marked up as no document is are called possible bombs.

(test_hostile.py runs the hostile files in a fresh process for time and memory; this file reads the messages.)"""

from __future__ import annotations

import io
import random
import struct
import zipfile

import pytest

from chapterhouse.manuscripts import check
from chapterhouse.ooxml.formats import refusal_message
from chapterhouse.ooxml.package import Limits, OoxmlPackage, PackageError
from tests.docx_factory import DocxFactory, compliant_chapter, prose, zip_parts
from tests.manuscripts.conftest import dscu_rules
from tests.ooxml import test_hostile as hostile

MB = 1024 * 1024
RUN_PROPERTIES = ('<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>'
                  '<w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>')


def word_like_book(words: int, seed: int = 3) -> bytes:
    """A long document marked up as Word writes one: a run every two words or so (Word splits runs at each
    revision session id), each with its fonts and size, paragraphs with their rsids and spacing. 97,600 words come
    to about 11 MB of document.xml, as the issue's real 97,600-word, 12.6 MB file does."""
    rng = random.Random(seed)
    factory = DocxFactory()
    written = 0
    while written < words:
        text = prose(40, rng).split()
        runs = "".join(f'<w:r w:rsidR="00{rng.randrange(16 ** 6):06X}" w:rsidRPr="00B2C3D4">{RUN_PROPERTIES}'
                       f'<w:t xml:space="preserve">{" ".join(text[i:i + 2])} </w:t></w:r>' for i in range(0, 40, 2))
        factory.body.append('<w:p w:rsidR="00A12B34" w:rsidRDefault="00A12B34" w:rsidP="00C4D5E6"><w:pPr>'
                            f'<w:spacing w:line="480" w:lineRule="auto"/><w:ind w:firstLine="720"/></w:pPr>{runs}</w:p>')
        written += 40
    return factory.build()


def refused(data: bytes, limits: Limits = Limits()):
    report = check(data, dscu_rules(), filename="chapter.docx", limits=limits)
    assert report.refusal is not None, "not refused"
    return report.refusal


# -- too large for a chapter, not an attack ------------------------------------------------------------------

def test_a_real_97600_word_document_is_refused_as_too_large_for_a_chapter_not_as_a_bomb():
    data = word_like_book(97_600)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("word/document.xml").file_size > 10 * MB
    refusal = refused(data)
    assert refusal.code == "document-too-large"
    assert refusal.message.startswith("chapter.docx was not checked: word/document.xml is 1")
    assert "about 97,600 words: too large for a chapter" in refusal.message
    assert "600,000 XML elements and attributes" in refusal.message  # the limit
    assert "bomb" not in refusal.message and "attack" not in refusal.message


def test_the_report_of_a_document_too_large_says_to_send_one_chapter():
    report = check(word_like_book(97_600), dscu_rules(), filename="chapter.docx")
    [finding] = report.findings
    assert "send one chapter as its own Word document" in finding.hint and "password" not in finding.hint


def test_a_document_xml_over_the_byte_cap_at_a_normal_packing_is_too_large_not_a_bomb():
    refusal = refused(word_like_book(40_000), Limits(max_xml_bytes=2 * MB))
    assert refusal.code == "document-too-large"
    assert "MB of XML, more than the 2 MB the checker reads in one part: too large for a chapter" in refusal.message
    assert "bomb" not in refusal.message


def test_a_package_over_the_total_cap_at_a_normal_packing_is_too_large_not_a_bomb():
    refusal = refused(word_like_book(20_000), Limits(max_total_bytes=2 * MB))
    assert refusal.code == "document-too-large"
    assert "more than 2 MB is refused: far more than a chapter with its pictures needs" in refusal.message


def test_a_file_over_the_file_cap_says_its_size_and_the_limit(tmp_path):
    path = tmp_path / "chapter.docx"
    with open(path, "wb") as sparse:  # 101 MB on paper, nothing written: refused from its size alone
        sparse.truncate(101 * MB)
    report = check(path, dscu_rules())
    assert report.refusal.code == "file-too-large"
    assert "was not checked: The file is 101.0 MB, more than the 100 MB a chapter may be" in report.refusal.message


def test_a_file_that_takes_longer_than_the_time_limit_says_so_without_accusing_it():
    refusal = refused(compliant_chapter(body_words=32_000).build(), Limits(max_seconds=0.001))
    assert refusal.code == "too-slow"
    assert refusal.message.startswith("chapter.docx was not checked: Reading the file took more than 0.001 s of work")
    assert "far larger or more intricate than a chapter, or built to make a reader work" in refusal.message


# -- possible bombs: packed or marked up as no document is ---------------------------------------------------

def test_a_part_packed_a_thousand_to_one_is_a_possible_zip_bomb_with_its_ratio():
    refusal = refused(hostile.zip_bomb_entry())
    assert refusal.code == "entry-too-large"
    assert "word/document.xml expands to 200.0 MB from" in refusal.message
    assert "to 1, which real documents never are" in refusal.message and "possible zip bomb" in refusal.message


def test_a_part_over_the_byte_cap_packed_as_no_document_is_is_a_possible_zip_bomb():
    xml = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    refusal = refused(hostile.with_part("word/document.xml", xml + b" " * (3 * MB) + b"</w:body></w:document>"),
                      Limits(max_xml_bytes=2 * MB))
    assert refusal.code == "entry-too-large" and "possible zip bomb" in refusal.message


def test_markup_with_no_text_over_the_element_budget_is_a_possible_xml_bomb():
    refusal = refused(hostile.too_many_elements())
    assert refusal.code == "xml-too-large"
    assert "for no words of text; refused as a possible XML bomb" in refusal.message
    assert refusal.message.startswith("chapter.docx cannot be read safely: ")


def test_parts_expanding_to_gigabytes_are_a_possible_zip_bomb():
    refusal = refused(hostile.unreferenced_parts_of(2048))
    assert refusal.code == "total-too-large" and "as a possible zip bomb: they are packed" in refusal.message


# -- damaged files: "cannot be read", with what is damaged ---------------------------------------------------

def test_a_damaged_entry_names_the_part():
    data = bytearray(compliant_chapter(body_words=2000).build())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26: info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    data[start + 40: start + 200] = bytes(160)  # the deflated body overwritten: bad data or a bad checksum
    refusal = refused(bytes(data))
    assert refusal.code == "damaged-entry"
    assert refusal.message.startswith("chapter.docx cannot be read: word/document.xml is damaged")


def test_a_main_document_that_is_not_well_formed_says_where():
    refusal = refused(hostile.with_part("word/document.xml", b"<w:document><w:body><w:p></w:body>"))
    assert refusal.code == "xml-malformed"
    assert refusal.message.startswith("chapter.docx cannot be read: word/document.xml is not well-formed XML (")


def test_a_text_node_larger_than_the_parser_takes_is_refused_as_too_large_to_read_safely():
    refusal = refused(hostile.huge_text_node(), Limits(max_seconds=30))
    assert refusal.code == "xml-too-large"
    assert "word/document.xml is too large or expands too much to read safely" in refusal.message


def test_an_encrypted_entry_says_to_remove_the_password():
    refusal = refused(hostile.encrypted_entry())
    assert refusal.code == "encrypted-entry"
    assert "cannot be read: The package entry" in refusal.message and "remove the password" in refusal.message


def test_a_zip_without_the_main_part_its_relationships_name_is_no_word_document():
    factory = DocxFactory()
    factory.add("Text")
    with zipfile.ZipFile(io.BytesIO(factory.build())) as archive:
        kept = {name: archive.read(name) for name in archive.namelist() if name != "word/document.xml"}
    refusal = refused(zip_parts(kept))
    assert refusal.code == "zip-not-word"
    assert refusal.message.startswith("chapter.docx is a ZIP file but not a Word document.")


@pytest.mark.parametrize("data, code, says", [
    (b"<!DOCTYPE html><html><body>Chapter</body></html>", "html", "is a web page (HTML)"),
    (b"PK\x05\x06" + bytes(18), "unknown", "is not a document we recognise"),
    (DocxFactory(main_content_type="application/vnd.openxmlformats-officedocument.presentationml.presentation"
                                   ".main+xml").add("Slide").build(), "pptx", "is a PowerPoint file"),
])
def test_wrong_kinds_of_file_say_what_they_are(data, code, says):
    refusal = refused(data)
    assert refusal.code == code and refusal.message.startswith(f"chapter.docx {says}")


# -- reached only below the checker: embedded files and direct reads -----------------------------------------

def test_bytes_that_are_not_a_zip_are_named_so_when_opened_as_a_package():
    """open_word sniffs such bytes first; an embedded "document" that is not a ZIP reaches the package itself."""
    with pytest.raises(PackageError) as caught:
        OoxmlPackage(b"not a zip at all")
    assert caught.value.code == "not-zip"
    assert refusal_message(caught.value, "chapter.docx") == (
        "chapter.docx cannot be read: The file is not a ZIP package, so it cannot be a .docx.")


def test_a_part_the_package_does_not_hold_is_named():
    package = OoxmlPackage(DocxFactory().add("Text").build())
    with pytest.raises(PackageError) as caught:
        package.read("word/missing.xml")
    assert caught.value.code == "missing-part" and "'word/missing.xml'" in str(caught.value)


# -- every hostile file of test_hostile.py: the message says what that file is or does ----------------------

WHAT_EACH_SAYS = {
    "zip bomb (one entry of 200 MB)": "cannot be read safely: word/document.xml expands to 200.0 MB from",
    "zip bomb (overlapping entries)": "share their bytes, a trick of zip bombs",
    "duplicate entry names": "holds two entries named 'word/document.xml'",
    "path escaping the archive": "whose name escapes the archive: '../../evil.xml'",
    "absolute path": "whose name escapes the archive: '/etc/evil.xml'",
    "encrypted ZIP entry": "cannot be read: The package entry '[Content_Types].xml' is encrypted",
    "XML bomb (billion laughs)": "word/document.xml declares a DOCTYPE, which Word never writes",
    "external entity": "word/document.xml declares a DOCTYPE, which Word never writes",
    "DOCTYPE in UTF-16": "word/document.xml declares a DOCTYPE, which Word never writes",
    "truncated archive": "cannot be read: The file is damaged or incomplete",
    "deeply nested XML": "word/document.xml is nested too deeply to be a real document",
    "too many XML elements": "for no words of text; refused as a possible XML bomb",
    "too many entries": "holds 5,006 files; more than 4,000 is refused (a chapter, pictures and all, holds a few dozen)",
    "Word 97-2003 .doc": "is an older Word 97–2003 (.doc) file",
    "password-protected .docx": "is password-protected (encrypted). Remove the password",
    "macro-enabled .docm": "is a macro-enabled Word document (.docm)",
    "macro-enabled template .dotm": "is a macro-enabled Word template (.dotm)",
    ".docx holding vbaProject.bin": "is a Word document that holds macros",
    "unreferenced parts expanding to 2 GB": "expand to 2,040 MB in all",
    "corrupt central directory (not cut short)": "it is complete, but the ZIP directory listing its parts is corrupt",
    "OpenDocument .odt": "is an OpenDocument (.odt) file",
    "PDF": "is a PDF. Send the Word file the PDF was made from.",
    "RTF": "is an RTF file",
    "Excel workbook renamed": "is an Excel workbook",
    "PNG renamed": "is an image",
    "text renamed": "is plain text",
    "ZIP that is no Office file": "cannot be read: The ZIP file has no [Content_Types].xml",
    "empty file": "is empty (0 bytes)",
}


def test_every_hostile_case_has_its_message_here():
    assert set(WHAT_EACH_SAYS) == set(hostile.CASES)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("case", list(WHAT_EACH_SAYS))
def test_each_hostile_file_is_refused_with_what_it_is(case):
    make, code = hostile.CASES[case]
    refusal = refused(make())
    assert refusal.code == code and WHAT_EACH_SAYS[case] in refusal.message, refusal.message
