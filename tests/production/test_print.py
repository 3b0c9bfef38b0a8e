"""The print outputs read back as a printer's preflight reads them: page boxes and bleed with pikepdf, crop marks
in the rendered margin, fonts embedded, a low-resolution figure named; the full cover's template with its
barcode decoded from the rendered page (not compared as text), and the checker that refuses a wrong size."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
import zxingcpp
from PIL import Image

from chapterhouse.call.schema import Publication
from chapterhouse.production.cover_spec import (CoverSpec, FullCoverError, check_full_cover, cover_spec,
                                                ean13_digits)
from chapterhouse.production.galleys.build import COVER_TEMPLATE, PRINT, build_galleys
from chapterhouse.production.galleys.errors import GalleyError
from chapterhouse.production.print_settings import PrintSettings

from . import volume_factory as factory

ISBN = "978-0-306-40615-7"  # what volume_factory writes into the manifest
TRIM = [0.0, 0.0, 432.0, 648.0]  # 6 × 9 in


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """One volume built twice: crop marks on (bleed 0.125 in), then off with a wider bleed (cache shared)."""
    folder = tmp_path_factory.mktemp("print")
    chapters = [factory.ChapterSpec(1, "Partner Capability", [("Ann Author", "A University", "Ann writes.")],
                                    words=700, notes=4, with_figure=True),
                factory.ChapterSpec(2, "Industrial Capacity", [("Ben Writer", "B Institute", "Ben writes.")],
                                    words=700, notes=4, seed=5)]
    manifest = factory.write_volume(folder, factory.VolumeSpec(parts=[("Capability", chapters[:1]),
                                                                      ("Industry", chapters[1:])],
                                                               foreword_notes=0, cover=(1800, 2700)))
    cache = folder / "cache"
    marked = build_galleys(manifest, folder / "marked", progress=False, cache_dir=cache,
                           print_settings=PrintSettings(crop_marks=True))
    plain = build_galleys(manifest, folder / "plain", formats=("pdf", "print"), progress=False, cache_dir=cache,
                          print_settings=PrintSettings(bleed_in=0.25, pages_per_inch=400))
    return marked, plain


def boxes(pdf: Path) -> list[dict[str, list[float]]]:
    with pikepdf.open(pdf) as document:
        return [{key: [float(v) for v in page.obj[f"/{key}"]] for key in ("MediaBox", "TrimBox", "BleedBox")
                 if f"/{key}" in page.obj} for page in document.pages]


def test_the_print_pdf_has_trim_and_bleed_boxes_on_every_page(builds):
    marked, plain = builds
    for result, bleed in ((marked, 9.0), (plain, 18.0)):
        pages = boxes(result.outputs[PRINT])
        assert pages and all(p["TrimBox"] == TRIM for p in pages)
        assert all(p["BleedBox"] == [-bleed, -bleed, 432 + bleed, 648 + bleed] for p in pages)
    # Without marks the sheet is the bleed; with them it leaves room for the marks outside the bleed.
    assert all(p["MediaBox"] == p["BleedBox"] for p in boxes(plain.outputs[PRINT]))
    assert all(p["MediaBox"][0] < p["BleedBox"][0] - 18 for p in boxes(marked.outputs[PRINT]))


def test_the_screen_pdf_stays_as_it_was(builds):
    marked, _ = builds
    with pikepdf.open(marked.outputs["pdf"]) as screen, pikepdf.open(marked.outputs[PRINT]) as printed:
        assert all([float(v) for v in page.mediabox] == TRIM and "/TrimBox" not in page.obj for page in screen.pages)
        assert "/StructTreeRoot" in screen.Root and "/StructTreeRoot" not in printed.Root
        # The cover image page is printed apart: the interior starts at the half-title, an even count of pages.
        screen_pages = len(screen.pages)
        assert len(printed.pages) in (screen_pages - 1, screen_pages)
        assert len(printed.pages) % 2 == 0
        assert not any("/Annots" in page.obj for page in printed.pages)
        assert printed.docinfo["/Trapped"] == pikepdf.Name.False_
        assert list(printed.Root.PageLabels.Nums)[0] == 0  # no "Cover" label left before page i
    first = subprocess.run(["pdftotext", "-l", "1", str(marked.outputs[PRINT]), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert "Security Cooperation Cases" in first


def test_every_font_in_the_print_pdf_is_embedded(builds):
    marked, _ = builds
    with pikepdf.open(marked.outputs[PRINT]) as document:
        fonts = {}
        for page in document.pages:
            for font in dict(page.obj.Resources.get("/Font", {})).values():
                described = font.DescendantFonts[0] if font.Subtype == pikepdf.Name.Type0 else font
                descriptor = described.get("/FontDescriptor")
                fonts[font.objgen] = descriptor is not None and any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values())
    assert marked.summary["print"]["interior"]["fonts_embedded"] >= len(fonts)


def test_a_figure_below_print_resolution_is_named(builds):
    marked, _ = builds
    interior = marked.summary["print"]["interior"]
    assert interior["images"] == 1  # the chapter's 240 × 120 pixel figure; the cover image is not in the interior
    assert interior["lowest_image_ppi"] < 300
    assert any("below 300 ppi" in problem for problem in interior["problems"])


def test_crop_marks_print_outside_the_bleed_and_only_when_asked(builds, tmp_path):
    marked, plain = builds

    def dark_pixels_left_of_the_bleed(pdf: Path, bleed_pt: float) -> int:
        subprocess.run(["pdftoppm", "-png", "-gray", "-r", "144", "-f", "2", "-l", "2", str(pdf),
                        str(tmp_path / pdf.stem)], check=True)
        image = Image.open(next(tmp_path.glob(f"{pdf.stem}*.png")))
        with pikepdf.open(pdf) as document:
            media = [float(v) for v in document.pages[1].mediabox]
        scale = 144 / 72
        outside = int((-bleed_pt - media[0]) * scale) - 1  # pixels between the sheet's edge and the bleed
        bottom_trim = int((media[3] - 0) * scale)  # the trim's lower edge, in pixels from the top
        region = image.crop((0, bottom_trim - 3, max(outside, 1), bottom_trim + 4))
        return sum(1 for value in region.convert("L").tobytes() if value < 160)

    assert dark_pixels_left_of_the_bleed(marked.outputs[PRINT], 9.0) > 10  # the horizontal mark at the trim's foot
    assert dark_pixels_left_of_the_bleed(plain.outputs[PRINT], 18.0) == 0


def test_the_cover_template_barcode_decodes_to_the_print_isbn(builds, tmp_path):
    marked, _ = builds
    template = marked.outputs[COVER_TEMPLATE]
    subprocess.run(["pdftoppm", "-png", "-r", "300", str(template), str(tmp_path / "cover")], check=True)
    found = zxingcpp.read_barcodes(Image.open(tmp_path / "cover-1.png"))
    assert [(code.format, code.text) for code in found] == [(zxingcpp.BarcodeFormat.EAN13, "9780306406157")]
    assert ean13_digits(ISBN) == "9780306406157" and ean13_digits("0-306-40615-2") == "9780306406157"


def test_the_cover_template_is_the_full_cover_with_its_spine_from_the_page_count(builds):
    marked, plain = builds
    for result, ppi, bleed in ((marked, 444, 9.0), (plain, 400, 18.0)):
        cover = result.summary["print"]["cover"]
        pages = result.summary["print"]["interior"]["pages"]
        assert cover["pages"] == pages and cover["pages_per_inch"] == ppi
        assert cover["spine_in"] == round(pages / ppi, 4)
        (page,) = boxes(result.outputs[COVER_TEMPLATE])
        spine = pages / ppi * 72
        assert page["TrimBox"][2] - page["TrimBox"][0] == pytest.approx(2 * 432 + spine, abs=0.05)
        assert page["BleedBox"] == page["MediaBox"]
        assert page["MediaBox"][2] - page["MediaBox"][0] == pytest.approx(2 * 432 + spine + 2 * bleed, abs=0.05)
        assert page["MediaBox"][3] - page["MediaBox"][1] == pytest.approx(648 + 2 * bleed, abs=0.05)


def test_the_checker_accepts_the_template_and_refuses_another_size_naming_the_size(builds):
    marked, _ = builds
    spec = CoverSpec.from_json(marked.summary["print"]["cover"])
    check_full_cover(marked.outputs[COVER_TEMPLATE].read_bytes(), spec)
    wrong = CoverSpec(spec.pages + 100, 6, 9, 0.125, 444)  # made for a longer book: a wider spine
    with pytest.raises(FullCoverError) as refusal:
        check_full_cover(marked.outputs[COVER_TEMPLATE].read_bytes(), wrong)
    message = str(refusal.value)
    width = 12 + (spec.pages + 100) / 444 + 0.25
    assert f"must be {width:.3f}".rstrip("0") in message
    assert f"{width * 25.4:.1f} × 234.9 mm" in message  # 9.25 in with the bleed
    assert "0.125 in bleed" in message and f"{spec.pages + 100} pages at 444 pages per inch" in message


def test_the_checker_refuses_what_is_not_a_one_page_pdf():
    spec = cover_spec(300, PrintSettings())
    with pytest.raises(FullCoverError, match=r"not a PDF.*must be 12\.926 × 9\.25 in"):
        check_full_cover(b"\x89PNG\r\n\x1a\n not a pdf", spec)
    document = pikepdf.new()
    document.add_blank_page(page_size=(spec.width_in * 72, spec.height_in * 72))
    document.add_blank_page(page_size=(spec.width_in * 72, spec.height_in * 72))
    data = io.BytesIO()
    document.save(data)
    with pytest.raises(FullCoverError, match="2 pages"):
        check_full_cover(data.getvalue(), spec)


def test_print_settings_come_from_the_publication_table():
    settings = PrintSettings.from_publication(Publication(bleed_in=0.25, crop_marks=True, pages_per_inch=400))
    assert settings == PrintSettings(6.0, 9.0, 0.25, True, 400)
    assert PrintSettings.from_publication(Publication()) == PrintSettings()


def test_print_needs_the_pdf(tmp_path):
    with pytest.raises(GalleyError, match="print is made from the pdf"):
        build_galleys(tmp_path / "manifest.toml", tmp_path / "out", formats=("print",), progress=False)
