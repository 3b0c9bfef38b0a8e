"""The print interior: the bound book's pages made ready for a printer, and the checks a printer's preflight runs.

Typst sets each page at the trim size and cannot draw beyond it, so the print copy is made from the same bound
pages (no second typesetting): each page's MediaBox grows by the bleed (and, with crop marks, by room for them)
around the unchanged content, its TrimBox is the page Typst set and its BleedBox the trim plus the bleed. The
front-cover image page is left out (the cover is printed apart), the page count is made even, and what a
printer refuses is taken out: link annotations on the page, the screen copy's tags and its sRGB output intent.

What is met (PDF/X-4 and print-on-demand requirements, read back in tests with pikepdf): TrimBox and BleedBox
on every page, TrimBox ⊂ BleedBox ⊂ MediaBox, bleed as set, every font embedded, no annotations, ``Trapped``
declared, images at least 300 ppi where they are placed, an even page count. Not claimed: PDF/X conformance
itself (no GTS_PDFX output intent with a CMYK characterization; the text is RGB black from Typst; nothing here
runs a certified preflight). Plain Python (pikepdf); no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf

from chapterhouse.production.print_settings import POINTS_PER_INCH, PrintSettings, inches

Name = pikepdf.Name
PRINT_PPI = 300
MARK_LENGTH = 18.0  # pt (0.25 in), the usual crop mark
MARK_GAP = 3.0  # pt between the bleed edge and a mark, so no mark shows on a trimmed page
MARK_WIDTH = 0.25  # pt
SCREEN_ONLY_ROOT_KEYS = ("/StructTreeRoot", "/MarkInfo", "/OutputIntents", "/ViewerPreferences")
SCREEN_ONLY_PAGE_KEYS = ("/Annots", "/StructParents", "/Tabs")


@dataclass
class PrintReport:
    pages: int
    trim_in: tuple[float, float]
    bleed_in: float
    crop_marks: bool
    fonts: int = 0
    images: int = 0
    lowest_image_ppi: float | None = None
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"pages": self.pages, "trim_in": list(self.trim_in), "bleed_in": self.bleed_in,
                "crop_marks": self.crop_marks, "fonts_embedded": self.fonts, "images": self.images,
                "lowest_image_ppi": self.lowest_image_ppi, "problems": self.problems}


def make_print_copy(book: pikepdf.Pdf, cover_pages: int, settings: PrintSettings) -> PrintReport:
    """Turns the bound (and already saved) screen book into the print interior, in place; returns what
    ``check_print_pdf`` finds in it."""
    for _ in range(cover_pages):
        del book.pages[0]
    _relabel(book, cover_pages)
    for key in SCREEN_ONLY_ROOT_KEYS:
        if key in book.Root:
            del book.Root[key]
    width, height = (float(v) for v in book.pages[0].mediabox[2:4])
    if len(book.pages) % 2:
        book.add_blank_page(page_size=(width, height))  # printers bind sheets: an even count, the last a verso
    bleed = settings.bleed_in * POINTS_PER_INCH
    margin = bleed + (MARK_GAP + MARK_LENGTH + 2 if settings.crop_marks else 0)
    marks = _crop_marks(book) if settings.crop_marks else None
    for page in book.pages:
        obj = page.obj
        for key in SCREEN_ONLY_PAGE_KEYS:
            if key in obj:
                del obj[key]
        x0, y0, x1, y1 = (float(v) for v in page.mediabox)
        obj.TrimBox = pikepdf.Array([x0, y0, x1, y1])
        obj.BleedBox = pikepdf.Array([x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed])
        obj.MediaBox = pikepdf.Array([x0 - margin, y0 - margin, x1 + margin, y1 + margin])
        if "/CropBox" in obj:
            del obj["/CropBox"]
        if marks is not None:
            _add_marks(book, page, marks, (x0, y0, x1, y1), bleed)
    book.docinfo["/Trapped"] = Name.False_
    with book.open_metadata(set_pikepdf_as_editor=False) as meta:
        for key in ("pdfuaid:part", "pdfaid:part", "pdfaid:conformance"):
            if key in meta:
                del meta[key]
    return check_print_pdf(book, settings)


def _relabel(book: pikepdf.Pdf, removed: int) -> None:
    """The page labels without the cover's, every later range moved up by the pages taken out."""
    labels = book.Root.get("/PageLabels")
    if labels is None or not removed:
        return
    nums = list(labels.Nums)
    kept = pikepdf.Array()
    for index in range(0, len(nums) - 1, 2):
        start = int(nums[index])
        if start >= removed:
            kept.extend([start - removed, nums[index + 1]])
    labels.Nums = kept


@dataclass(frozen=True)
class _Marks:
    colour_space: pikepdf.Object
    opening: pikepdf.Object  # "q": the page's own drawing is kept apart from the marks
    closing: dict = field(default_factory=dict)  # trim → "Q" and the marks, one stream per page size


def _crop_marks(book: pikepdf.Pdf) -> _Marks:
    """Marks in registration colour (the /All separation: they print on every plate, as PDF/X expects)."""
    tint = pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[0, 0, 0, 0], C1=[1, 1, 1, 1], N=1)
    space = book.make_indirect(pikepdf.Array([Name.Separation, Name.All, Name.DeviceCMYK, tint]))
    return _Marks(space, book.make_indirect(pikepdf.Stream(book, b"q\n")))


def _add_marks(book: pikepdf.Pdf, page: pikepdf.Page, marks: _Marks, trim: tuple[float, float, float, float],
               bleed: float) -> None:
    resources = page.obj.get("/Resources")
    if resources is None:
        resources = page.obj.Resources = pikepdf.Dictionary()
    if "/ColorSpace" not in resources:
        resources.ColorSpace = pikepdf.Dictionary()
    resources.ColorSpace.CHRegistration = marks.colour_space
    page.contents_add(marks.opening, prepend=True)
    if trim not in marks.closing:
        marks.closing[trim] = book.make_indirect(pikepdf.Stream(book, b"Q\n" + crop_mark_operators(trim, bleed)))
    page.contents_add(marks.closing[trim], prepend=False)


def crop_mark_operators(trim: tuple[float, float, float, float], bleed: float) -> bytes:
    """Eight hairlines, two at each corner of the trim, starting beyond the bleed."""
    x0, y0, x1, y1 = trim
    near, far = bleed + MARK_GAP, bleed + MARK_GAP + MARK_LENGTH
    lines = []
    for x, y, sx, sy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        lines.append(f"{x + sx * near:.3f} {y:.3f} m {x + sx * far:.3f} {y:.3f} l S")  # along the trim's edge
        lines.append(f"{x:.3f} {y + sy * near:.3f} m {x:.3f} {y + sy * far:.3f} l S")
    return (f"q /CHRegistration CS 1 SCN {MARK_WIDTH} w 0 J\n" + "\n".join(lines) + "\nQ\n").encode()


# -- preflight ---------------------------------------------------------------------------------------------

def check_print_pdf(pdf: pikepdf.Pdf, settings: PrintSettings) -> PrintReport:
    """Page boxes, bleed, fonts and image resolution, as a printer's preflight reads them."""
    first = pdf.pages[0]
    trim = [float(v) for v in first.obj.get("/TrimBox", first.mediabox)]
    report = PrintReport(len(pdf.pages), (round((trim[2] - trim[0]) / POINTS_PER_INCH, 3),
                                          round((trim[3] - trim[1]) / POINTS_PER_INCH, 3)),
                         settings.bleed_in, settings.crop_marks)
    if report.trim_in != (settings.trim_width_in, settings.trim_height_in):
        report.problems.append(f"The interior is set at {inches(report.trim_in[0])} × {inches(report.trim_in[1])} in "
                               f"but the publication's trim is {inches(settings.trim_width_in)} × "
                               f"{inches(settings.trim_height_in)} in")
    if report.pages % 2:
        report.problems.append(f"The interior has {report.pages} pages; printers bind an even number")
    fonts: dict[tuple[int, int], bool] = {}
    seen_resources: set[tuple[int, int]] = set()
    lowest: list[tuple[float, int]] = []
    bleed = settings.bleed_in * POINTS_PER_INCH
    for number, page in enumerate(pdf.pages, 1):
        report.problems += _box_problems(page, number, bleed)
        if "/Annots" in page.obj:
            report.problems.append(f"Page {number} carries annotations, which printers refuse inside the page")
        _collect_fonts(page.obj.get("/Resources"), fonts, seen_resources)
        for ppi in image_resolutions(page):
            report.images += 1
            lowest.append((ppi, number))
    report.fonts = len(fonts)
    missing = sum(1 for embedded in fonts.values() if not embedded)
    if missing:
        report.problems.append(f"{missing} of {len(fonts)} fonts are not embedded")
    if lowest:
        ppi, number = min(lowest)
        report.lowest_image_ppi = round(ppi)
        low = sorted({n for p, n in lowest if p < PRINT_PPI})
        if low:
            report.problems.append(f"Images below {PRINT_PPI} ppi where placed (lowest {ppi:.0f} ppi, PDF page {number}) "
                                   f"on PDF pages {', '.join(map(str, low[:10]))}{' …' if len(low) > 10 else ''}")
    return report


def _box_problems(page: pikepdf.Page, number: int, bleed: float) -> list[str]:
    obj = page.obj
    if "/TrimBox" not in obj or "/BleedBox" not in obj:
        return [f"Page {number} has no TrimBox or BleedBox"]
    media, bleed_box, trim = ([float(v) for v in obj[key]] for key in ("/MediaBox", "/BleedBox", "/TrimBox"))
    problems = []
    if not (_inside(trim, bleed_box) and _inside(bleed_box, media)):
        problems.append(f"Page {number}: the TrimBox must lie inside the BleedBox, and that inside the MediaBox")
    if any(abs(abs(b - t) - bleed) > 0.01 for b, t in zip(bleed_box, trim)):
        problems.append(f"Page {number}: the bleed is not {bleed / POINTS_PER_INCH:g} in on every side")
    return problems


def _inside(inner: list[float], outer: list[float]) -> bool:
    return (inner[0] >= outer[0] - 0.01 and inner[1] >= outer[1] - 0.01 and inner[2] <= outer[2] + 0.01
            and inner[3] <= outer[3] + 0.01)


def _collect_fonts(resources, fonts: dict, seen: set) -> None:
    """Every font the resources reach (forms included), with whether its program is in the file."""
    if resources is None:
        return
    key = resources.objgen
    if key != (0, 0):
        if key in seen:
            return
        seen.add(key)
    for font in dict(resources.get("/Font", {})).values():
        if font.objgen not in fonts:
            fonts[font.objgen] = _font_embedded(font)
    for xobject in dict(resources.get("/XObject", {})).values():
        if xobject.get("/Subtype") == Name.Form:
            _collect_fonts(xobject.get("/Resources"), fonts, seen)


def _font_embedded(font) -> bool:
    if font.get("/Subtype") == Name.Type3:
        return True  # its glyphs are content streams in the file
    if font.get("/Subtype") == Name.Type0:
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def image_resolutions(page: pikepdf.Page) -> list[float]:
    """The effective resolution (pixels per inch as placed, the lower of the two directions) of every image the
    page draws. Pages whose resources hold no image are not parsed."""
    resources = page.obj.get("/Resources")
    if not _has_images(resources, set()):
        return []
    found: list[float] = []
    _walk(page.obj, resources, (1, 0, 0, 1, 0, 0), found, 0)
    return found


def _has_images(resources, seen: set) -> bool:
    if resources is None:
        return False
    for xobject in dict(resources.get("/XObject", {})).values():
        if xobject.objgen in seen:
            continue
        seen.add(xobject.objgen)
        if xobject.get("/Subtype") == Name.Image:
            return True
        if xobject.get("/Subtype") == Name.Form and _has_images(xobject.get("/Resources"), seen):
            return True
    return False


def _multiply(a, b):
    """a × b for PDF matrices [a b c d e f] (a applied first)."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _walk(content, resources, ctm, found: list[float], depth: int) -> None:
    if depth > 8:
        return
    stack = []
    xobjects = resources.get("/XObject", {}) if resources is not None else {}
    for operands, operator in pikepdf.parse_content_stream(content, "q Q cm Do"):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op == "Do":
            xobject = xobjects.get(str(operands[0]))
            if xobject is None:
                continue
            if xobject.get("/Subtype") == Name.Image:
                # The unit square maps to the image's placed size: the lengths of the CTM's two axes, in pt.
                width_in = (ctm[0] ** 2 + ctm[1] ** 2) ** 0.5 / POINTS_PER_INCH
                height_in = (ctm[2] ** 2 + ctm[3] ** 2) ** 0.5 / POINTS_PER_INCH
                if width_in and height_in:
                    found.append(min(int(xobject.Width) / width_in, int(xobject.Height) / height_in))
            elif xobject.get("/Subtype") == Name.Form:
                matrix = tuple(float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                _walk(xobject, xobject.get("/Resources", resources), _multiply(matrix, ctm), found, depth + 1)
