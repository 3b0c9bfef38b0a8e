"""Binds the typeset units into the book: blank versos so every unit opens on a recto, running heads and
folios laid over each page, roman page labels for the front matter and arabic for the body, and bookmarks.

Folios and running heads are a separate layer (one small Typst document, one page per bound page) because
they are the only things that depend on where a unit falls in the book; the units themselves never need
recompiling when an earlier chapter grows by a page. pikepdf (qpdf) joins the pages in a fraction of a second
and keeps each chapter's internal links (note numbers to notes) pointing at the right pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import typst

from .cache import BuildCache, digest
from . import tagged
from .model import roman
from .printpdf import PrintReport, make_print_copy
from .typeset import TypesetUnit, Typesetter

TRIM_POINTS = (432, 648)  # 6 × 9 in, as in templates/book.typ
MARGIN_POINTS = 50  # the narrower side margin (0.7 in), so a contents link spans the text measure


@dataclass(frozen=True)
class PlannedPage:
    unit: TypesetUnit | None  # None: a blank verso added so the next unit opens on a recto
    unit_page: int
    label: str
    side: str

    @property
    def furniture(self) -> dict:
        """The running head and folio this page carries, by the conventions of book design."""
        nothing = {"side": self.side, "head": "", "folio": "", "folio_at": ""}
        if self.unit is None or self.unit.unit.kind in ("cover", "title-pages") or self.unit_page in self.unit.empty_pages:
            return nothing
        if self.unit_page == 1:
            if self.unit.unit.kind == "part":
                return nothing  # a part title page carries no folio
            return {**nothing, "folio": self.label, "folio_at": "foot"}  # a drop folio under an opener
        verso, recto = self.unit.unit.heads
        return {**nothing, "head": verso if self.side == "verso" else recto, "folio": self.label, "folio_at": "head"}


def plan_pages(units: list[TypesetUnit]) -> list[PlannedPage]:
    """Every page of the book in order. A cover comes first, outside the page sequence (labelled "Cover"), so
    the half-title is still page i, a recto."""
    covers = [u for u in units if u.unit.kind == "cover"]
    cover_pages = [PlannedPage(u, page, "Cover", "recto") for u in covers for page in range(1, u.pages + 1)]
    return cover_pages + _plan_sequence([u for u in units if u.unit.kind != "cover"])


def _plan_sequence(units: list[TypesetUnit]) -> list[PlannedPage]:
    sequence: list[tuple[TypesetUnit | None, int]] = []
    for typeset in units:
        if len(sequence) % 2 == 1:
            sequence.append((None, 0))
        sequence += [(typeset, page) for page in range(1, typeset.pages + 1)]
    front = next((i for i, (u, _) in enumerate(sequence) if u is not None and u.unit.matter != "front"), len(sequence))
    return [PlannedPage(unit, page, roman(index + 1) if index < front else str(index - front + 1),
                        "recto" if index % 2 == 0 else "verso")
            for index, (unit, page) in enumerate(sequence)]


def first_pages(plan: list[PlannedPage]) -> dict[str, tuple[int, str]]:
    """Unit name → (0-based index in the book, page label) of its first page."""
    starts: dict[str, tuple[int, str]] = {}
    for index, page in enumerate(plan):
        if page.unit is not None and page.unit_page == 1:
            starts[page.unit.unit.name] = (index, page.label)
    return starts


def compile_furniture(plan: list[PlannedPage], typesetter: Typesetter, cache: BuildCache) -> Path:
    pages = [page.furniture for page in plan]
    data = json.dumps(pages, ensure_ascii=False).encode()
    key = digest("furniture", typesetter.engine, typesetter.template, data)
    path = cache.path("furniture", key, ".pdf")
    if path.exists():
        return path
    data_path = cache.write_bytes("furniture", key, ".json", data)
    source = ('#import "/template/book.typ": *\n'
              f'#furniture(json("/{data_path.relative_to(cache.root).as_posix()}"))\n')
    source_path = cache.write_bytes("furniture", key, ".typ", source.encode())
    pdf = typst.Compiler(str(source_path), root=str(cache.root), font_paths=[], ignore_system_fonts=True).compile(
        format="pdf")
    cache.write_bytes("furniture", key, ".pdf", pdf)
    return path


@dataclass(frozen=True)
class Bookmark:
    title: str
    unit: str
    children: tuple["Bookmark", ...] = ()


def bind(plan: list[PlannedPage], furniture: Path, bookmarks: list[Bookmark], info: dict[str, str],
         language: str, out: Path, archive: Path | None = None, printed=None) -> PrintReport | None:
    """Writes the book to ``out`` (tagged, identified as PDF/UA-1) and, when asked, the same pages to
    ``archive`` identified as PDF/A-2a too, with the units' output intent, and to ``printed`` = (path,
    ``PrintSettings``) as the print interior (``printpdf.py``), whose preflight report it returns."""
    book = pikepdf.Pdf.new()
    opened: dict[Path, pikepdf.Pdf] = {}
    try:
        structure = tagged.BookStructure(book)
        for page in plan:
            if page.unit is None:
                book.add_blank_page(page_size=TRIM_POINTS)
                continue
            if page.unit_page == 1:
                # A whole unit in one call, so qpdf maps its links between its own pages.
                source = opened[page.unit.pdf] = pikepdf.Pdf.open(page.unit.pdf)
                first = len(book.pages)
                book.pages.extend(source.pages)
                structure.add_unit(source, book.pages[first:], page.unit.unit.name)
        layer = opened[furniture] = pikepdf.Pdf.open(furniture)
        for index, page in enumerate(plan):
            marks = page.furniture
            if marks["head"] or marks["folio"]:
                book.pages[index].add_overlay(layer.pages[index])  # marked as pagination artifacts in book.typ
        _link_contents(book, plan, structure)
        _label_pages(book, plan)
        _add_bookmarks(book, plan, bookmarks)
        for key, value in info.items():
            book.docinfo[f"/{key}"] = value
        book.Root.Lang = pikepdf.String(language)
        book.Root.PageLayout = pikepdf.Name.TwoPageRight
        book.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        structure.finish()
        title_unit = next((opened[p.unit.pdf] for p in plan if p.unit is not None and p.unit.unit.kind == "title-pages"),
                          None) or next(iter(opened.values()))
        tagged.identify(book, info, language, archival=False)
        _save(book, out)
        if archive is not None:
            tagged.copy_output_intents(book, title_unit)
            tagged.identify(book, info, language, archival=True)
            _save(book, archive)
        if printed is not None:
            report = make_print_copy(book, sum(1 for p in plan if p.label == "Cover"), printed[1])
            _save(book, printed[0])
            return report
        return None
    finally:
        for source in opened.values():
            source.close()
        book.close()


def _save(book: pikepdf.Pdf, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    # ISO 32000-1, which PDF/A-2 and PDF/UA-1 build on. Streams are copied as Typst compressed them, not decoded
    # and compressed again: the same bytes, a third less time for each of the build's three copies.
    book.save(temporary, object_stream_mode=pikepdf.ObjectStreamMode.generate, min_version="1.7",
              stream_decode_level=pikepdf.StreamDecodeLevel.none)
    temporary.replace(out)


def _link_contents(book: pikepdf.Pdf, plan: list[PlannedPage], structure: "tagged.BookStructure") -> None:
    """Each contents entry, from where it starts to where the next begins, opens its unit's first page."""
    starts = first_pages(plan)
    for first, page in enumerate(plan):
        if page.unit is None or page.unit_page != 1 or not page.unit.anchors:
            continue
        anchors = [anchor for anchor in page.unit.anchors if anchor[0] in starts]
        for number, (target, unit_page, _x, top) in enumerate(anchors):
            following = anchors[number + 1] if number + 1 < len(anchors) else None
            bottom = following[3] if following and following[1] == unit_page else top + 30
            sheet = book.pages[first + unit_page - 1]
            width, height = float(sheet.mediabox[2]), float(sheet.mediabox[3])
            link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Border=[0, 0, 0],
                                      Rect=[MARGIN_POINTS, height - bottom, width - MARGIN_POINTS, height - top],
                                      Dest=[book.pages[starts[target][0]].obj, pikepdf.Name.Fit],
                                      F=4,  # printable, as PDF/A asks of every annotation
                                      Contents=pikepdf.String(f"Go to page {plan[starts[target][0]].label}"))
            if "/Annots" not in sheet.obj:
                sheet.obj.Annots = pikepdf.Array()
            annotation = book.make_indirect(link)
            sheet.obj.Annots.append(annotation)
            structure.tag_link(annotation, sheet, page.unit.unit.name)


def _label_pages(book: pikepdf.Pdf, plan: list[PlannedPage]) -> None:
    """Real PDF page labels: viewers show “iv” and “23”, the folios printed on the pages."""
    covers = sum(1 for page in plan if page.label == "Cover")
    numbers = pikepdf.Array([0, pikepdf.Dictionary(P=pikepdf.String("Cover"))] if covers else [])
    numbers.extend([covers, pikepdf.Dictionary(S=pikepdf.Name.r)])
    body = next((i for i, page in enumerate(plan) if page.label == "1"), None)
    if body is not None:
        numbers.extend([body, pikepdf.Dictionary(S=pikepdf.Name.D)])
    book.Root.PageLabels = book.make_indirect(pikepdf.Dictionary(Nums=numbers))


def _add_bookmarks(book: pikepdf.Pdf, plan: list[PlannedPage], bookmarks: list[Bookmark]) -> None:
    starts = first_pages(plan)

    def item(mark: Bookmark) -> pikepdf.OutlineItem:
        entry = pikepdf.OutlineItem(mark.title, starts[mark.unit][0])
        entry.children.extend(item(child) for child in mark.children)
        return entry

    with book.open_outline() as outline:
        outline.root.extend(item(mark) for mark in bookmarks if mark.unit in starts)
