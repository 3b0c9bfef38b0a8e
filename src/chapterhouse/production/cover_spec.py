"""The full cover (back, spine, front, one sheet): its size from the interior's page count and the paper, a
template PDF for the designer with every area marked and the ISBN's EAN-13 barcode in place, and the check that
refuses an uploaded full cover of any other size, naming the size it must be.

The spine is the page count divided by the paper's pages per inch (a setting: each paper bulks differently).
The barcode's bars come from python-barcode's EAN-13 encoding and are drawn as vector rectangles at the
nominal module of 0.33 mm, so they print sharp at any resolution. Plain Python (Typst, pikepdf); no Django.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import typst
from barcode.ean import EuropeanArticleNumber13

from chapterhouse.production.print_settings import POINTS_PER_INCH, PrintSettings, inches, inches_and_mm

SAFE_IN = 0.25  # keep text this far inside each trim edge and fold
SPINE_SAFE_IN = 0.0625  # and this far from each spine fold
SPINE_TEXT_MIN_IN = 0.25  # below this, printers ask for no text on the spine
TOLERANCE_IN = 1 / 32  # an upload within this of the size is accepted (designers round to the millimetre)
MODULE_MM = 0.33  # EAN-13 nominal module (100 %)
BAR_HEIGHT_MM = 22.85
MAX_COVER_BYTES = 100 * 1024 * 1024


class FullCoverError(ValueError):
    """Why an uploaded full cover cannot be used, naming the size it must be."""


@dataclass(frozen=True)
class CoverSpec:
    pages: int
    trim_width_in: float
    trim_height_in: float
    bleed_in: float
    pages_per_inch: int

    @property
    def spine_in(self) -> float:
        return round(self.pages / self.pages_per_inch, 4)

    @property
    def width_in(self) -> float:
        """The whole sheet, bleed included: bleed, back, spine, front, bleed."""
        return 2 * self.trim_width_in + self.spine_in + 2 * self.bleed_in

    @property
    def height_in(self) -> float:
        return self.trim_height_in + 2 * self.bleed_in

    @property
    def size(self) -> str:
        return inches_and_mm(self.width_in, self.height_in)

    def explain(self) -> str:
        return (f"two {inches(self.trim_width_in)} × {inches(self.trim_height_in)} in covers, a "
                f"{inches(self.spine_in)} in spine ({self.pages} pages at {self.pages_per_inch} pages per inch) and "
                f"{inches(self.bleed_in)} in bleed on every side")

    def as_json(self) -> dict:
        return {"pages": self.pages, "trim_in": [self.trim_width_in, self.trim_height_in], "bleed_in": self.bleed_in,
                "pages_per_inch": self.pages_per_inch, "spine_in": self.spine_in,
                "full_cover_in": [round(self.width_in, 4), round(self.height_in, 4)]}

    @classmethod
    def from_json(cls, data: dict) -> CoverSpec:
        return cls(data["pages"], *data["trim_in"], data["bleed_in"], data["pages_per_inch"])


def cover_spec(pages: int, settings: PrintSettings, trim_in: tuple[float, float] | None = None) -> CoverSpec:
    """``trim_in``: the interior's real page size when known (the print PDF's TrimBox), else the settings'."""
    width, height = trim_in or (settings.trim_width_in, settings.trim_height_in)
    return CoverSpec(pages, width, height, settings.bleed_in, settings.pages_per_inch)


# -- the barcode -----------------------------------------------------------------------------------------

def ean13_digits(isbn: str) -> str:
    """The 13 digits the barcode encodes: an ISBN-13 as it is, an ISBN-10 moved into the 978 prefix."""
    digits = re.sub(r"[\s-]", "", isbn).upper()
    if len(digits) == 10:
        digits = "978" + digits[:9]
    return EuropeanArticleNumber13(digits[:12]).get_fullcode()


def barcode_modules(isbn: str) -> str:
    """The 95 modules of the EAN-13 symbol, "1" a dark bar, "G" a (longer) guard bar, "0" a space."""
    return EuropeanArticleNumber13(ean13_digits(isbn)[:12], guardbar=True).build()[0]


def _barcode_typst(isbn: str) -> str:
    """The symbol as Typst: quiet zones of 11 and 7 modules, the digits under the bars as the standard places them."""
    modules = barcode_modules(isbn)
    digits = ean13_digits(isbn)
    bars = []
    for match in re.finditer(r"1+|G+", modules):
        guard = match.group()[0] == "G"
        bars.append(f"place(dx: {(11 + match.start()) * MODULE_MM:.3f}mm, rect(width: {len(match.group()) * MODULE_MM:.3f}mm, "
                    f"height: {BAR_HEIGHT_MM + (5 * MODULE_MM if guard else 0):.3f}mm, fill: black))")
    under = f"dy: {BAR_HEIGHT_MM + 0.3:.2f}mm"
    text = (f"place({under}, dx: 0.6mm, text(size: 9pt)[{digits[0]}])\n"
            f"place({under}, dx: {(11 + 3 + 1) * MODULE_MM:.3f}mm, text(size: 9pt, tracking: 1.05pt)[{digits[1:7]}])\n"
            f"place({under}, dx: {(11 + 50 + 1) * MODULE_MM:.3f}mm, text(size: 9pt, tracking: 1.05pt)[{digits[7:]}])")
    return "box(width: {w:.2f}mm, height: {h:.2f}mm, {{\n{bars}\n{text}\n}})".format(
        w=(11 + 95 + 7) * MODULE_MM, h=BAR_HEIGHT_MM + 4.2, bars="\n".join(bars), text=text)


# -- the template --------------------------------------------------------------------------------------

def template_source(spec: CoverSpec, title: str, isbn: str) -> str:
    """A one-page Typst document the size of the full cover with bleed, trim, folds and safe areas marked."""
    b, w, h, s = spec.bleed_in, spec.trim_width_in, spec.trim_height_in, spec.spine_in
    back, spine, front = b, b + w, b + w + s
    box = ("#let area(x, y, width, height, ..style) = place(top + left, dx: x * 1in, dy: y * 1in, "
           "rect(width: width * 1in, height: height * 1in, ..style))\n")
    safe_style = 'stroke: (paint: rgb("#1a7f37"), thickness: 0.75pt, dash: "dashed")'
    lines = [
        f"#set page(width: {spec.width_in:.4f}in, height: {spec.height_in:.4f}in, margin: 0pt)",
        '#set text(font: "Libertinus Serif", size: 10pt, fill: rgb("#333333"))',
        f'#set document(title: {json.dumps("Full cover template: " + title, ensure_ascii=False)})',
        box,
        # the bleed: everything outside the trim is cut off
        '#area(0, 0, %.4f, %.4f, fill: rgb("#fde2e1"))' % (spec.width_in, spec.height_in),
        '#area(%.4f, %.4f, %.4f, %.4f, fill: white, stroke: (paint: black, thickness: 0.5pt))' % (b, b, 2 * w + s, h),
        '#area(%.4f, %.4f, %.4f, %.4f, fill: rgb("#eef2f7"), stroke: (paint: black, thickness: 0.5pt))' % (spine, b, s, h),
    ]
    for x, width in ((back, w), (front, w)):
        lines.append('#area(%.4f, %.4f, %.4f, %.4f, %s)' % (x + SAFE_IN, b + SAFE_IN, width - 2 * SAFE_IN,
                                                           h - 2 * SAFE_IN, safe_style))
    if s > 2 * SPINE_SAFE_IN:
        lines.append('#area(%.4f, %.4f, %.4f, %.4f, %s)' % (spine + SPINE_SAFE_IN, b + SAFE_IN, s - 2 * SPINE_SAFE_IN,
                                                           h - 2 * SAFE_IN, safe_style))

    def label(x: float, y: float, width: float, body: str) -> str:
        return (f"#place(top + left, dx: {x:.4f}in, dy: {y:.4f}in, block(width: {width:.4f}in, "
                f"align(center, [{body}])))")

    trim = f"{inches(w)} × {inches(h)} in"
    lines += [
        label(back, b + h * 0.3, w, f"#text(size: 22pt, tracking: 0.1em)[BACK COVER] \\ {trim} trim"),
        label(front, b + h * 0.3, w, f"#text(size: 22pt, tracking: 0.1em)[FRONT COVER] \\ {trim} trim"),
        label(0, b / 2 - 0.06, spec.width_in, f"#text(size: 7pt, fill: rgb(\"#b42318\"))[Bleed {inches(b)} in: "
                                               "extend the background to the sheet's edge; it is cut off]"),
        label(back + 0.75, b + h * 0.42, w - 1.5, _typst_text(
            f"Full sheet with bleed: {spec.size}. Trim lines are black, safe areas dashed green "
            f"({inches(SAFE_IN)} in inside the trim and folds). {spec.pages} pages on paper of "
            f"{spec.pages_per_inch} pages per inch.")),
    ]
    if s >= SPINE_TEXT_MIN_IN:
        lines.append(f"#place(top + left, dx: {spine:.4f}in, dy: {b:.4f}in, box(width: {s:.4f}in, height: {h:.4f}in, "
                     f"align(center + horizon, rotate(90deg, reflow: true, text(size: 8pt)[SPINE {inches(s)} in]))))")
    else:
        lines.append(label(spine - 0.6, b + h + b / 2 - 0.06, s + 1.2,
                           f"#text(size: 7pt)[Spine {inches(s)} in: too narrow for text]"))
    if isbn:
        # Lower right of the back cover, inside the safe area, on a white panel as printers ask.
        panel_w, panel_h = 1.85, 1.45
        x, y = back + w - SAFE_IN - panel_w - 0.05, b + h - SAFE_IN - panel_h - 0.05  # the safe line stays seen
        lines.append(f"#place(top + left, dx: {x:.4f}in, dy: {y:.4f}in, block(width: {panel_w}in, height: {panel_h}in, "
                     "fill: white, inset: (x: 0.08in, y: 0.08in), {\n"
                     f'set text(font: "DejaVu Sans Mono", fill: black)\n'
                     f"align(center, text(size: 8pt)[ISBN {_typst_text(isbn)}])\n"
                     "v(2pt)\n" + _barcode_typst(isbn) + "\n}))")
    return "\n".join(lines) + "\n"


def _typst_text(text: str) -> str:
    return re.sub(r"([\\#\[\]*_`$<>@~/\"'])", r"\\\1", text)


def write_template(spec: CoverSpec, title: str, isbn: str, out: Path) -> Path:
    """Compiles the template to ``out`` (a PDF with TrimBox and BleedBox set for the whole sheet)."""
    source = out.with_suffix(".typ")
    source.write_text(template_source(spec, title, isbn), encoding="utf-8")
    pdf = typst.Compiler(str(source), root=str(source.parent), font_paths=[], ignore_system_fonts=True).compile(
        format="pdf")
    source.unlink()
    with pikepdf.Pdf.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        bleed = spec.bleed_in * POINTS_PER_INCH
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        page.obj.BleedBox = pikepdf.Array([x0, y0, x1, y1])
        page.obj.TrimBox = pikepdf.Array([x0 + bleed, y0 + bleed, x1 - bleed, y1 - bleed])
        document.save(out)
    return out


# -- the checker ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FullCoverPDF:
    width_in: float
    height_in: float
    pages: int


def check_full_cover(data: bytes, spec: CoverSpec) -> FullCoverPDF:
    """The uploaded sheet's size (its BleedBox, else its MediaBox), or ``FullCoverError`` naming the size it must
    be: a cover made for another page count or paper would print with the spine text on the fold."""
    expected = f"it must be {spec.size}: {spec.explain()}"
    if len(data) > MAX_COVER_BYTES:
        raise FullCoverError(f"The file is {len(data) / 1024 / 1024:.0f} MB; the limit is "
                             f"{MAX_COVER_BYTES // 1024 // 1024} MB. As a PDF, {expected}.")
    try:
        with pikepdf.Pdf.open(io.BytesIO(data)) as document:
            count = len(document.pages)
            page = document.pages[0]
            box = [float(v) for v in page.obj.get("/BleedBox", page.mediabox)]
            rotated = int(page.obj.get("/Rotate", 0)) % 180 == 90
    except (pikepdf.PdfError, IndexError, ValueError):
        raise FullCoverError(f"The file is not a PDF that can be read. Export the full cover as a PDF; "
                             f"{expected}.") from None
    width, height = (abs(box[2] - box[0]) / POINTS_PER_INCH, abs(box[3] - box[1]) / POINTS_PER_INCH)
    if rotated:
        width, height = height, width
    if count != 1:
        raise FullCoverError(f"The PDF has {count} pages; the full cover is one page (back, spine and front "
                             f"together), and {expected}.")
    if abs(width - spec.width_in) > TOLERANCE_IN or abs(height - spec.height_in) > TOLERANCE_IN:
        raise FullCoverError(f"The cover is {inches_and_mm(width, height)}; {expected}.")
    return FullCoverPDF(round(width, 4), round(height, 4), count)

