"""EPUB 3: each unit of the book is converted by pandoc's EPUB writer on its own (cached, so a proof round
converts one chapter), then the units are packed into one book with its own package document and a navigation
document by part and chapter. Notes stay pandoc's linked notes (``epub:type="noteref"`` → ``footnote``),
numbered afresh in each chapter as in the PDF.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lxml import etree

from . import compose
from . import pandoc_ast as A
from .cache import BuildCache, digest
from .manifest import Volume
from .model import TextModel, VolumeModel
from .pagelist import PrintPage, mark_pages, marker, page_id
from .pandoc import pandoc_version, run_pandoc

EPUB_VERSION = "epub-1"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".svg": "image/svg+xml", ".webp": "image/webp"}


@dataclass
class EpubUnit:
    """One unit of the book for the EPUB: its name (the file's), its title, its place in the book, and how to
    make its blocks, called only when the cache does not hold the unit made from the same ``source_key``."""

    name: str
    title: str
    matter: str  # "front", "body" or "back"
    make_blocks: Callable[[], list[dict]]
    source_key: str


@dataclass
class ConvertedUnit:
    unit: EpubUnit
    files: list[str]  # xhtml file names under text/, in reading order
    media: list[str]  # file names under media/
    folder: Path


@dataclass(frozen=True)
class NavEntry:
    title: str
    unit: str
    children: tuple["NavEntry", ...] = ()


# -- the book's units and navigation -----------------------------------------------------------------

def volume_units(model: VolumeModel) -> list[EpubUnit]:
    volume = model.volume
    about_volume = volume.model_dump_json()
    people = model.contributors()
    units = [EpubUnit("title-page", volume.title, "front",
                      lambda: compose.title_page_blocks(volume, as_heading=True) + compose.copyright_blocks(volume),
                      about_volume)]
    units += [_epub_text(f"front-{i}", "front", text, 1) for i, text in enumerate(model.front, 1)]
    contributors = EpubUnit("contributors", "Contributors", volume.contributors,
                            lambda: compose.contributors_blocks(people, 1),
                            json.dumps([p.model_dump() for p in people]))
    if volume.contributors == "front":
        units.append(contributors)
    for part in model.parts:
        units.append(EpubUnit(f"part-{part.number}", f"{part.label}: {part.title}", "body",
                              lambda part=part: compose.part_blocks(part, 1), part.introduction_key))
        units += [_epub_text(f"chapter-{t.number:02d}", "body", t, 1, f"Chapter {t.number}") for t in part.chapters]
    if volume.contributors == "back":
        units.append(contributors)
    return units


def _epub_text(name: str, matter: str, text: TextModel, level: int, label: str = "") -> EpubUnit:
    return EpubUnit(name, text.title, matter, lambda: compose.text_blocks(text, level, label, label_in_heading=True),
                    digest(text.text.key, label, json.dumps([a.model_dump() for a in text.authors])))


def volume_navigation(model: VolumeModel) -> list[NavEntry]:
    entries = [NavEntry(t.title, f"front-{i}") for i, t in enumerate(model.front, 1)]
    contributors = NavEntry("Contributors", "contributors")
    if model.volume.contributors == "front":
        entries.append(contributors)
    for part in model.parts:
        chapters = tuple(NavEntry(f"{t.number}. {t.title}", f"chapter-{t.number:02d}") for t in part.chapters)
        entries.append(NavEntry(f"{part.label}: {part.title}", f"part-{part.number}", chapters))
    if model.volume.contributors == "back":
        entries.append(contributors)
    return entries


# -- converting and packing ----------------------------------------------------------------------------

def convert_unit(unit: EpubUnit, api_version: list[int], language: str, cache: BuildCache) -> ConvertedUnit:
    """The unit's XHTML from pandoc's EPUB writer, renamed for its place in the book; cached by its blocks."""
    key = digest(EPUB_VERSION, pandoc_version(), unit.name, unit.title, unit.matter, unit.source_key, language)
    folder = cache.folder("epub", key)
    record = folder / "unit.json"
    if record.exists():
        saved = json.loads(record.read_bytes())
        return ConvertedUnit(unit, saved["files"], saved["media"], folder)
    folder.mkdir(parents=True, exist_ok=True)
    document = A.document(unit.make_blocks(), api_version,
                          {"title": A.meta_string(unit.title), "lang": A.meta_string(language)})
    payload = json.dumps(document, ensure_ascii=False).encode()
    single = folder / "unit.epub"
    run_pandoc(["--from", "json", "--to", "epub3", "--split-level=1", "--epub-title-page=false",
                f"--resource-path={cache.root}", "--output", str(single)], input=payload, cwd=cache.root)
    files, media = [], []
    with zipfile.ZipFile(single) as packed:
        names = packed.namelist()
        renamed_media = {}
        for name in names:
            if name.startswith("EPUB/media/"):
                new = f"{unit.name}-{Path(name).name}"
                renamed_media[Path(name).name] = new
                (folder / new).write_bytes(packed.read(name))
                media.append(new)
        chapters = sorted(n for n in names if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", n))
        for index, name in enumerate(chapters):
            new = f"{unit.name}.xhtml" if index == 0 else f"{unit.name}-{index + 1}.xhtml"
            text = packed.read(name).decode("utf-8")
            text = _adapted(text, unit, renamed_media, {Path(c).name: (f"{unit.name}.xhtml" if i == 0 else
                                                                         f"{unit.name}-{i + 1}.xhtml")
                                                           for i, c in enumerate(chapters)})
            (folder / new).write_text(text, encoding="utf-8")
            files.append(new)
    single.unlink()
    record.write_text(json.dumps({"files": files, "media": media}))
    return ConvertedUnit(unit, files, media, folder)


def _adapted(text: str, unit: EpubUnit, media: dict[str, str], files: dict[str, str]) -> str:
    """Pandoc's file for one unit, made to fit the book: its title, its matter, renamed pictures and links."""
    text = re.sub(r"<title>.*?</title>", f"<title>{_escape(unit.title)}</title>", text, count=1, flags=re.S)
    matter = {"front": "frontmatter", "body": "bodymatter", "back": "backmatter"}[unit.matter]
    text = re.sub(r'<body epub:type="[^"]*"', f'<body epub:type="{matter}"', text, count=1)
    for old, new in media.items():
        text = text.replace(f'"../media/{old}"', f'"../media/{new}"')
    for old, new in files.items():
        text = text.replace(f'href="{old}#', f'href="{new}#').replace(f'href="{old}"', f'href="{new}"')
    return text


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# The PDF unit whose pages an EPUB unit holds, where the names differ; the PDF's contents are the nav document.
PDF_UNIT = {"title-page": "title-pages"}
CONTENTS_UNIT = "contents"


def write_epub(volume: Volume, units: list[ConvertedUnit], navigation: list[NavEntry], out: Path,
               contributors: list[str], contents_after: int, modified: dt.datetime | None = None,
               cover: Path | None = None, cover_description: str = "",
               print_pages: list[PrintPage] | None = None) -> None:
    """Packs the units; the navigation document is read as the contents page after ``contents_after`` units.
    A cover image becomes the package's ``cover-image`` and the first page, with its text alternative.
    With ``print_pages`` (the typeset PDF's pages) each page's start is marked and listed in a page-list."""
    modified = (modified or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
    css = resources.files(__package__).joinpath("templates/epub.css").read_bytes()
    first_file = {unit.unit.name: unit.files[0] for unit in units if unit.files}
    texts, page_list = _marked_texts(units, print_pages or [])
    nav = _navigation(volume, navigation, first_file, units, page_list,
                      [p.label for p in print_pages or [] if p.unit == CONTENTS_UNIT])
    cover_name = f"cover{cover.suffix.lower()}" if cover else ""
    package = _package(volume, units, contents_after, contributors, modified, cover_name,
                       cover_description or f"Cover of {volume.title}", paged=bool(page_list))
    temporary = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(temporary, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", CONTAINER, compress_type=zipfile.ZIP_DEFLATED)
        book.writestr("EPUB/content.opf", package, compress_type=zipfile.ZIP_DEFLATED)
        book.writestr("EPUB/nav.xhtml", nav, compress_type=zipfile.ZIP_DEFLATED)
        book.writestr("EPUB/styles/stylesheet1.css", css, compress_type=zipfile.ZIP_DEFLATED)
        if cover:
            book.write(cover, f"EPUB/media/{cover_name}", compress_type=zipfile.ZIP_STORED)
            book.writestr("EPUB/text/cover.xhtml", _cover_page(volume, cover_name, cover_description),
                          compress_type=zipfile.ZIP_DEFLATED)
        for unit in units:
            for name in unit.files:
                book.writestr(f"EPUB/text/{name}", texts[name], compress_type=zipfile.ZIP_DEFLATED)
            for name in unit.media:
                book.write(unit.folder / name, f"EPUB/media/{name}", compress_type=zipfile.ZIP_STORED)
    temporary.replace(out)


def _marked_texts(units: list[ConvertedUnit], pages: list[PrintPage]) -> tuple[dict[str, bytes], list[tuple[str, str]]]:
    """Each unit file's XHTML with the print pages it holds marked, and the page-list: (label, href) in the
    PDF's page order (the contents pages are in the nav document)."""
    texts: dict[str, bytes] = {}
    hrefs: dict[str, str] = {}
    for unit in units:
        mine = [page for page in pages if page.unit == PDF_UNIT.get(unit.unit.name, unit.unit.name)]
        files, where = mark_pages([(unit.folder / name).read_bytes() for name in unit.files], mine)
        texts.update(zip(unit.files, files))
        hrefs.update((label, f"text/{unit.files[file]}#{page_id(label)}") for label, file in where)
    hrefs.update((page.label, f"nav.xhtml#{page_id(page.label)}") for page in pages if page.unit == CONTENTS_UNIT)
    return texts, [(page.label, hrefs[page.label]) for page in pages if page.label in hrefs]


CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def book_identifier(volume: Volume) -> str:
    """The EPUB edition's ISBN, else a UUID made from what names the book (the same for every build)."""
    if volume.isbn_epub:
        return "urn:isbn:" + re.sub(r"[\s-]", "", volume.isbn_epub)
    seed = "|".join([volume.title, volume.subtitle, volume.publisher, str(volume.year),
                     *(e.name for e in volume.editors)])
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'chapterhouse:' + seed)}"


def _cover_page(volume: Volume, image: str, description: str) -> bytes:
    alt = _escape(description or f"Cover of {volume.title}").replace('"', "&quot;")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            f'<html xmlns="{XHTML}" xmlns:epub="{OPS}" xml:lang="{volume.language}" lang="{volume.language}">\n'
            f'<head><meta charset="utf-8"/><title>{_escape(volume.title)}</title>'
            f'<link rel="stylesheet" type="text/css" href="../styles/stylesheet1.css"/></head>\n'
            f'<body epub:type="cover"><section class="cover" epub:type="cover">'
            f'<img role="doc-cover" src="../media/{image}" alt="{alt}"/></section></body>\n</html>\n').encode()


# What a reader's assistive technology is told about the book (schema.org accessibility properties).
ACCESSIBILITY_SUMMARY = ("Structured with headings, parts and chapters in a navigable table of contents; notes are "
                         "linked both ways to their references; tables have header rows; reading order follows "
                         "the printed book.")


def page_break_source(volume: Volume) -> str:
    """What the page-list's page numbers come from: the print edition (by its ISBN when it has one)."""
    return "urn:isbn:" + re.sub(r"[\s-]", "", volume.isbn) if volume.isbn else f"{volume.title}, print edition (PDF)"


def _package(volume: Volume, units: list[ConvertedUnit], contents_after: int, contributors: list[str],
             modified: dt.datetime, cover: str = "", cover_description: str = "", paged: bool = False) -> bytes:
    E = etree.Element
    package = E(f"{{{OPF}}}package", nsmap={None: OPF}, version="3.0", **{"unique-identifier": "book-id"})
    package.set("{http://www.w3.org/XML/1998/namespace}lang", volume.language)
    meta = etree.SubElement(package, f"{{{OPF}}}metadata", nsmap={"dc": DC})

    def dc(name: str, text: str, **attributes) -> etree._Element:
        element = etree.SubElement(meta, f"{{{DC}}}{name}", **attributes)
        element.text = text
        return element

    def refine(target: str, prop: str, text: str, **attributes) -> None:
        element = etree.SubElement(meta, f"{{{OPF}}}meta", refines=f"#{target}", property=prop, **attributes)
        element.text = text

    dc("identifier", book_identifier(volume), id="book-id")
    dc("title", volume.title, id="title")
    refine("title", "title-type", "main")
    if volume.subtitle:
        dc("title", volume.subtitle, id="subtitle")
        refine("subtitle", "title-type", "subtitle")
    for index, editor in enumerate(volume.editors, 1):
        dc("creator", editor.name, id=f"editor-{index}")
        refine(f"editor-{index}", "role", "edt", scheme="marc:relators")
    for index, name in enumerate(contributors, 1):
        dc("contributor", name, id=f"author-{index}")
        refine(f"author-{index}", "role", "aut", scheme="marc:relators")
    dc("publisher", volume.publisher)
    dc("date", str(volume.year))
    dc("language", volume.language)
    if volume.rights:
        dc("rights", volume.rights)
    has_pictures = bool(cover) or any(unit.media for unit in units)
    properties = [("dcterms:modified", modified.strftime("%Y-%m-%dT%H:%M:%SZ")), ("schema:accessMode", "textual")]
    properties += [("schema:accessMode", "visual")] if has_pictures else []
    properties += [("schema:accessModeSufficient", "textual"),
                   ("schema:accessibilityFeature", "structuralNavigation"),
                   ("schema:accessibilityFeature", "tableOfContents"),
                   ("schema:accessibilityFeature", "readingOrder")]
    properties += [("schema:accessibilityFeature", "alternativeText")] if cover else []
    properties += [("schema:accessibilityFeature", feature) for feature in
                   ("printPageNumbers", "pageBreakMarkers", "pageNavigation")] if paged else []
    properties += [("pageBreakSource", page_break_source(volume))] if paged else []
    properties += [("schema:accessibilityHazard", "none"), ("schema:accessibilitySummary", ACCESSIBILITY_SUMMARY)]
    for prop, value in properties:
        etree.SubElement(meta, f"{{{OPF}}}meta", property=prop).text = value
    manifest = etree.SubElement(package, f"{{{OPF}}}manifest")
    etree.SubElement(manifest, f"{{{OPF}}}item", id="nav", href="nav.xhtml", properties="nav",
                     **{"media-type": "application/xhtml+xml"})
    etree.SubElement(manifest, f"{{{OPF}}}item", id="css", href="styles/stylesheet1.css", **{"media-type": "text/css"})
    if cover:
        etree.SubElement(manifest, f"{{{OPF}}}item", id="cover-image", href=f"media/{cover}", properties="cover-image",
                         **{"media-type": MEDIA_TYPES[Path(cover).suffix]})
        etree.SubElement(manifest, f"{{{OPF}}}item", id="cover", href="text/cover.xhtml",
                         **{"media-type": "application/xhtml+xml"})
    for unit in units:
        for name in unit.files:
            attributes = {"media-type": "application/xhtml+xml"}
            text = (unit.folder / name).read_text(encoding="utf-8")
            properties = [p for p, marker in (("mathml", "<math"), ("svg", "<svg")) if marker in text]
            if properties:
                attributes["properties"] = " ".join(properties)
            etree.SubElement(manifest, f"{{{OPF}}}item", id=_item_id(name), href=f"text/{name}", **attributes)
        for name in unit.media:
            media_type = MEDIA_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
            etree.SubElement(manifest, f"{{{OPF}}}item", id=_item_id("media-" + name), href=f"media/{name}",
                             **{"media-type": media_type})
    spine = etree.SubElement(package, f"{{{OPF}}}spine")
    if cover:
        etree.SubElement(spine, f"{{{OPF}}}itemref", idref="cover", linear="yes")
    for index, unit in enumerate(units):
        if index == contents_after:
            etree.SubElement(spine, f"{{{OPF}}}itemref", idref="nav")
        for name in unit.files:
            etree.SubElement(spine, f"{{{OPF}}}itemref", idref=_item_id(name))
    return etree.tostring(package, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _item_id(name: str) -> str:
    return "i-" + re.sub(r"[^A-Za-z0-9_-]", "_", name)


def _navigation(volume: Volume, entries: list[NavEntry], first_file: dict[str, str], units: list[ConvertedUnit],
                page_list: list[tuple[str, str]] = (), contents_pages: list[str] = ()) -> bytes:
    """The contents, the landmarks and, for a book with print pages, the page-list; the nav document stands
    for the printed contents, so those pages are marked at its start."""
    E = etree.Element
    html = E(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": OPS})
    html.set("{http://www.w3.org/XML/1998/namespace}lang", volume.language)
    html.set("lang", volume.language)
    head = etree.SubElement(html, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}meta", charset="utf-8")
    etree.SubElement(head, f"{{{XHTML}}}title").text = "Contents"
    etree.SubElement(head, f"{{{XHTML}}}link", rel="stylesheet", type="text/css", href="styles/stylesheet1.css")
    body = etree.SubElement(html, f"{{{XHTML}}}body")
    body.set(f"{{{OPS}}}type", "frontmatter")
    for label in contents_pages:
        body.append(marker(label))
    toc = etree.SubElement(body, f"{{{XHTML}}}nav", id="toc")
    toc.set(f"{{{OPS}}}type", "toc")
    toc.set("role", "doc-toc")
    etree.SubElement(toc, f"{{{XHTML}}}h1").text = "Contents"

    def add(parent: etree._Element, items: list[NavEntry]) -> None:
        listing = etree.SubElement(parent, f"{{{XHTML}}}ol")
        for item in items:
            if item.unit not in first_file:
                continue
            li = etree.SubElement(listing, f"{{{XHTML}}}li")
            etree.SubElement(li, f"{{{XHTML}}}a", href=f"text/{first_file[item.unit]}").text = item.title
            if item.children:
                add(li, list(item.children))

    add(toc, entries)
    landmarks = etree.SubElement(body, f"{{{XHTML}}}nav", hidden="hidden")
    landmarks.set(f"{{{OPS}}}type", "landmarks")
    etree.SubElement(landmarks, f"{{{XHTML}}}h2").text = "Landmarks"
    listing = etree.SubElement(landmarks, f"{{{XHTML}}}ol")
    body_unit = next((u for u in units if u.unit.matter == "body" and u.files), None)
    marks = [("toc", "nav.xhtml#toc", "Contents")]
    if body_unit:
        marks.append(("bodymatter", f"text/{body_unit.files[0]}", "Start of content"))
    for kind, href, label in marks:
        li = etree.SubElement(listing, f"{{{XHTML}}}li")
        link = etree.SubElement(li, f"{{{XHTML}}}a", href=href)
        link.set(f"{{{OPS}}}type", kind)
        link.text = label
    if page_list:
        pages = etree.SubElement(body, f"{{{XHTML}}}nav", id="page-list", hidden="hidden", role="doc-pagelist")
        pages.set(f"{{{OPS}}}type", "page-list")
        etree.SubElement(pages, f"{{{XHTML}}}h2").text = "Pages"
        listing = etree.SubElement(pages, f"{{{XHTML}}}ol")
        for label, href in page_list:
            etree.SubElement(etree.SubElement(listing, f"{{{XHTML}}}li"), f"{{{XHTML}}}a", href=href).text = label
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n' + etree.tostring(html, encoding="UTF-8")
