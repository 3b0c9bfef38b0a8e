"""Double-blind by construction (issue 18 §1): a reviewer gets a new file written from what was read of the
author's, and no byte of the author's names, address, user name or affiliation survives anywhere in it, after
unzipping and decompressing every part and stream (``tests/fixtures/blind/scan.py``), whichever place of the
Word or PDF format the crafted file hid them in (``tests/fixtures/blind/word.py`` and ``pdf.py``)."""

from __future__ import annotations

import io
import zipfile

import docx
import pikepdf
import pytest

from chapterhouse.ooxml.reader import read_manuscript
from chapterhouse.review.blind_copy import CopyNotWritten, reviewer_copy
from chapterhouse.review.blind_images import bare_jpeg, fresh_picture
from chapterhouse.review.blind_pdf import pages_text
from chapterhouse.review.redaction import PLACEHOLDER
from chapterhouse.screening.identities import identity_pattern
from tests.fixtures.blind import pdf as crafted_pdfs
from tests.fixtures.blind import word as crafted_words
from tests.fixtures.blind.identity import AFFILIATION, EMAIL, NAME, NEEDLES, USERNAME, jpeg_with_metadata, png_with_metadata
from tests.fixtures.blind.scan import leaks

AUTHORS = identity_pattern([NAME], [EMAIL], [AFFILIATION], [USERNAME])


@pytest.mark.parametrize("place", list(crafted_words.WORD_PLACES))
def test_a_word_copy_carries_nothing_of_the_author_from_any_one_place(place):
    crafted = crafted_words.crafted_word(place)
    assert leaks(crafted, NEEDLES), f"the crafted file does not plant {place}"
    copy = reviewer_copy("docx", crafted, AUTHORS)
    assert leaks(copy.data, NEEDLES) == []
    assert any(crafted_words.KEPT_TEXT == passage.text for passage in copy.passages)


@pytest.mark.parametrize("place", list(crafted_pdfs.PDF_PLACES))
def test_a_pdf_copy_carries_nothing_of_the_author_from_any_one_place(place):
    crafted = crafted_pdfs.crafted_pdf(place)
    assert leaks(crafted, NEEDLES)
    copy = reviewer_copy("pdf", crafted, AUTHORS)
    assert leaks(copy.data, NEEDLES) == []
    assert [text.strip() for _, text in pages_text(copy.data)] == [crafted_pdfs.KEPT_TEXT]


def test_the_word_copy_of_a_file_with_every_place_keeps_the_text_and_its_structure():
    copy = reviewer_copy("docx", crafted_words.crafted_word(), AUTHORS)
    assert leaks(copy.data, NEEDLES) == []
    with zipfile.ZipFile(io.BytesIO(copy.data)) as package:
        names = set(package.namelist())
        assert all(info.comment == b"" for info in package.infolist()) and package.comment == b""
    assert not any(name.startswith(("docProps/", "customXml/")) or "glossary" in name or "embeddings" in name
                   or name in ("word/comments.xml", "word/people.xml", "word/fontTable.xml") for name in names)
    assert {name for name in names if name.startswith("word/media/")} == {
        f"word/media/image{n}.{ext}" for n, ext in ((1, "jpeg"), (2, "png"), (3, "png"), (4, "png"), (5, "png"))}
    manuscript = read_manuscript(copy.data)  # the project's own reader opens it
    texts = [paragraph.text for paragraph in manuscript.paragraphs]
    assert crafted_words.KEPT_TEXT in texts
    assert f"Draft by {PLACEHOLDER}, {PLACEHOLDER} ({PLACEHOLDER})." in texts
    heading = next(p for p in manuscript.paragraphs if p.text.startswith("Draft by"))
    assert heading.role == "heading" and heading.heading_level == 0
    assert any(p.role == "table" and p.text == f"Cell: {PLACEHOLDER}" for p in manuscript.paragraphs)
    assert any(p.role == "caption" for p in manuscript.paragraphs)
    assert [note.text.strip() for note in manuscript.footnotes] == [f"See {PLACEHOLDER}, earlier work."]
    assert [note.text.strip() for note in manuscript.endnotes] == [f"{PLACEHOLDER}."]
    assert manuscript.comments == [] and manuscript.revisions == [] and manuscript.headers == []
    assert manuscript.properties.properties == [] and manuscript.extra_text == []
    assert "Shown box text." in texts and not any("Old copy" in text for text in texts)
    assert "write to usthe team" in texts  # field results are kept, their codes are not
    reread = docx.Document(io.BytesIO(copy.data))  # and so does python-docx
    assert reread.core_properties.author == "" and len(reread.inline_shapes) == 5


def test_notes_cited_from_a_table_keep_their_place_and_number():
    from tests.docx_factory import DocxFactory, paragraph

    factory = DocxFactory()
    factory.add("Before the table.", factory.footnote("First note."))
    factory.body.append(f"<w:tbl><w:tr><w:tc>{paragraph('In a cell.', factory.footnote('Second note.'))}</w:tc></w:tr></w:tbl>")
    manuscript = read_manuscript(reviewer_copy("docx", factory.build(), AUTHORS).data)
    assert [(note.number, note.text.strip()) for note in manuscript.footnotes] == [(1, "First note."), (2, "Second note.")]


def test_the_pdf_copy_of_a_file_with_every_place_keeps_the_page_and_its_picture_only():
    copy = reviewer_copy("pdf", crafted_pdfs.crafted_pdf(), AUTHORS)
    assert leaks(copy.data, NEEDLES) == []
    with pikepdf.open(io.BytesIO(copy.data)) as pdf:
        assert set(pdf.Root.keys()) == {"/Type", "/Pages"} and "/Info" not in pdf.trailer
        page = pdf.pages[0]
        assert set(page.obj.keys()) <= {"/Type", "/Parent", "/MediaBox", "/Resources", "/Contents"}
        image = page.Resources.XObject.Im1
        assert image.Width == 24 and image.read_raw_bytes().startswith(b"\xff\xd8")


def test_what_the_pages_themselves_say_is_kept_and_found():
    crafted = crafted_pdfs.crafted_pdf("outline titles", page_text=f"Draft by {NAME}")
    copy = reviewer_copy("pdf", crafted, AUTHORS)
    assert NAME in copy.passages[0].text and copy.passages[0].location == "page 1"


def test_what_the_copy_cannot_carry_is_said():
    from tests.docx_factory import DocxFactory

    factory = DocxFactory()
    factory.add('<w:r><w:drawing><wp:inline><wp:extent cx="9" cy="9"/><a:graphic><a:graphicData '
                'uri="http://schemas.openxmlformats.org/drawingml/2006/chart"/></a:graphic></wp:inline></w:drawing></w:r>')
    factory.extra_parts["word/media/image1.emf"] = b"\x01\x00\x00\x00 not a raster picture"
    factory.extra_rels.append(("image", "media/image1.emf", False))
    rel_id = f"rId{len(factory.extra_rels) + 1}"  # styles, then the extra relationship
    factory.add(f'<w:r><w:pict><v:shape><v:imagedata r:id="{rel_id}"/></v:shape></w:pict></w:r>')
    copy = reviewer_copy("docx", factory.build(), AUTHORS)
    assert copy.left_out[0].startswith("a chart") and "not a photograph or drawing" in copy.left_out[1]


def test_a_file_that_cannot_be_read_gets_no_copy():
    with pytest.raises(CopyNotWritten, match="could not be read"):
        reviewer_copy("pdf", b"%PDF-1.7\nnot really", AUTHORS)
    with pytest.raises(CopyNotWritten, match="could not be read"):
        reviewer_copy("docx", b"PK\x03\x04 damaged", AUTHORS)


def test_pictures_are_redrawn_from_their_pixels_and_jpegs_lose_their_segments():
    for original in (jpeg_with_metadata(), png_with_metadata()):
        redrawn = fresh_picture(original)
        assert leaks(redrawn.data, NEEDLES) == [] and (redrawn.width_px, redrawn.height_px) in ((24, 16), (20, 20))
    assert leaks(bare_jpeg(jpeg_with_metadata()), NEEDLES) == []


def png_of_size(width: int, height: int) -> bytes:
    """A PNG header claiming the size (no pixel data: nothing may try to decode it)."""
    import struct
    import zlib

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
            + b"\x00\x00\x00\x00IEND\xaeB`\x82")


def test_a_picture_claiming_too_many_pixels_is_left_out_before_it_is_decoded():
    from chapterhouse.review.blind_images import NotAPicture

    bomb = png_of_size(100_000, 100_000)
    with pytest.raises(NotAPicture, match="pixels"):
        fresh_picture(bomb)
    with pytest.raises(NotAPicture, match="6000 × 6000 pixels"):  # under Pillow's own limit, over ours
        fresh_picture(png_of_size(6000, 6000))


def test_user_names_and_address_mailboxes_are_part_of_the_identity_but_role_mailboxes_are_not():
    pattern = identity_pattern(["Jordan Ellis"], ["jordan.ellis@example.edu", "office@example.org"], [], ["jellis"])
    assert pattern.search("see JELLIS's folder") and pattern.search("as jordan.ellis wrote")
    assert not pattern.search("the office is closed")


# -- the scanner itself: it must find what hides in compressed and encoded places -------------------------------

def test_the_scanner_finds_an_identity_in_compressed_png_text_and_utf16_exif():
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "from jordan.ellis@example.edu", zip=True)
    out = io.BytesIO()
    Image.new("L", (4, 4)).save(out, "PNG", pnginfo=info)
    assert b"jordan" not in out.getvalue().lower()  # only compressed
    assert any("zlib" in found for found in leaks(out.getvalue(), (EMAIL,)))
    assert leaks("Jordan ELLIS".encode("utf-16-be"), (NAME,))


def test_the_scanner_finds_an_identity_in_zip_comments_and_in_pdf_object_streams():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        info = zipfile.ZipInfo("a.txt")
        info.comment = NAME.encode()
        package.writestr(info, b"nothing")
    assert leaks(out.getvalue(), (NAME,))
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary(Author=pikepdf.String(NAME)))
    saved = io.BytesIO()
    pdf.save(saved, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    assert b"Ellis" not in saved.getvalue()
    assert leaks(saved.getvalue(), (NAME,))
