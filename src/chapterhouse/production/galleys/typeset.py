"""Typesets the volume unit by unit with Typst: title pages, contents, front matter, part pages, chapters,
contributors. Each unit is its own small document, compiled in parallel and cached by everything it is made
of, so a proof round after one chapter changes compiles that chapter (and the contents) again, nothing else.
Page numbers, running heads, page labels and bookmarks are added when the units are bound (``bind.py``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

import typst

from .cache import BuildCache, digest
from .errors import GalleyError
from .footnotes import MAX_FIX_PASSES, NotePlacement, next_fixes, note_placements
from .model import TextModel
from .typst_text import typst_markup

TYPESET_VERSION = "typeset-2"
# Every unit is tagged and checked by Typst against PDF/UA-1 (accessible) and PDF/A-2a (archival) as it is
# compiled; bind.py keeps the tags, language and identification when it joins the units into the book.
PDF_STANDARDS = ["a-2a", "ua-1"]
EMPTY_BODY = "template/empty.typ"
# Contents entries: the unit each links to, and the page and point (in pt from the top left) where it starts.
# The fonts every document is set in: Typst's own (Libertinus Serif…), never the machine's, so a page looks the same
# on every machine.
FONTS = {"font_paths": [], "ignore_system_fonts": True}
ANCHOR_QUERY = ("query(<contents-entry>).map(m => (m.value, m.location().page(), "
                "m.location().position().x / 1pt, m.location().position().y / 1pt))")

UNIT_CALLS = {
    "chapter": '#show: chapter-unit.with(data)\n#include "/{body}"\n',
    "front": '#show: text-unit.with(data)\n#include "/{body}"\n',
    "part": '#part-unit(data)[#include "/{body}"]\n',
    "title-pages": "#title-pages(data)\n",
    "cover": "#cover-unit(data)\n",
    "contents": "#contents-unit(data)\n",
    "contributors": "#contributors-unit(data)\n",
}


@dataclass
class Unit:
    """One separately compiled run of pages; it starts on a recto."""

    name: str
    kind: str  # a key of UNIT_CALLS
    matter: str  # "front", "body" or "back"
    title: str
    heads: tuple[str, str] = ("", "")  # running heads: verso, recto
    data: dict = field(default_factory=dict)
    blocks: list[dict] | None = None  # the unit's text, for kinds that include one
    text: TextModel | None = None  # the chapter or front-matter text it sets, when there is one
    text_key: str = ""  # what ``blocks`` were made from, so an unchanged unit is known without reading them

    @property
    def identity(self) -> str:
        return digest("unit", self.kind, json.dumps(self.data, sort_keys=True, ensure_ascii=False), self.text_key)


@dataclass
class TypesetUnit:
    unit: Unit
    pdf: Path
    pages: int
    notes: int
    misplaced: list[NotePlacement]
    fixes: dict[int, str]
    passes: int
    compiled: bool  # False when every pass came from the cache
    empty_pages: list[int] = field(default_factory=list)  # 1-based pages left blank on purpose
    anchors: list[list] = field(default_factory=list)  # [unit linked to, page, x, y] of each contents entry


class Typesetter:
    def __init__(self, cache: BuildCache, api_version: list[int]):
        self.cache = cache
        self.api_version = api_version
        self.template = resources.files(__package__).joinpath("templates/book.typ").read_text(encoding="utf-8")
        template_path = cache.root / "template" / "book.typ"
        if not template_path.exists() or template_path.read_text(encoding="utf-8") != self.template:
            template_path.parent.mkdir(exist_ok=True)
            template_path.write_text(self.template, encoding="utf-8")
        (cache.root / EMPTY_BODY).touch()  # what a part page without an introduction includes
        self.engine = f"typst {metadata.version('typst')}"

    def typeset(self, unit: Unit) -> TypesetUnit:
        """Compiles the unit, then again with fixes while notes are misplaced (see ``footnotes.py``).
        A unit typeset before from the same text and data is taken from the cache without reading its text."""
        identity = digest(unit.identity, str(MAX_FIX_PASSES))
        known = self.cache.read_json("typeset", identity) if unit.text_key or not unit.blocks else None
        if known and self.cache.path("pdf", known["key"], ".pdf").exists():
            return self._typeset_unit(unit, known, compiled=False)
        fixes: dict[int, str] = {}
        tried: dict[int, list[str]] = {}
        compiled_any = False
        for attempt in range(1, MAX_FIX_PASSES + 2):
            result, compiled = self._compile(unit, fixes)
            compiled_any |= compiled
            misplaced = [NotePlacement(**m) for m in result["misplaced"]]
            if not misplaced or not next_fixes(misplaced, fixes, tried):
                break
        record = {**result, "fixes": {str(k): v for k, v in fixes.items()}, "passes": attempt}
        self.cache.write_json("typeset", identity, record)
        return self._typeset_unit(unit, record, compiled_any)

    def _typeset_unit(self, unit: Unit, record: dict, compiled: bool) -> TypesetUnit:
        return TypesetUnit(unit, self.cache.path("pdf", record["key"], ".pdf"), record["pages"], record["notes"],
                           [NotePlacement(**m) for m in record["misplaced"]],
                           {int(k): v for k, v in record["fixes"].items()}, record["passes"], compiled,
                           record.get("empty_pages", []), record.get("anchors", []))

    def _compile(self, unit: Unit, fixes: dict[int, str]) -> tuple[dict, bool]:
        if unit.blocks:
            body_path, body = typst_markup(unit.blocks, self.api_version, self.cache, fixes)
        else:
            body_path, body = EMPTY_BODY, ""
        data = json.dumps(unit.data, ensure_ascii=False, sort_keys=True).encode()
        data_path = self.cache.write_bytes("unit-data", digest(data), ".json", data)
        source = ('#import "/template/book.typ": *\n'
                  f'#let data = json("/{data_path.relative_to(self.cache.root).as_posix()}")\n'
                  f'#set document(title: {json.dumps(unit.title, ensure_ascii=False)})\n'
                  + UNIT_CALLS[unit.kind].format(body=body_path))
        key = digest(TYPESET_VERSION, self.engine, self.template, source, data, body)
        known = self.cache.read_json("pdf", key)
        if known and self.cache.path("pdf", key, ".pdf").exists():
            return known, False
        source_path = self.cache.write_bytes("units", key, ".typ", source.encode())
        try:
            compiler = typst.Compiler(str(source_path), root=str(self.cache.root), **FONTS)
            pdf = compiler.compile(format="pdf", pdf_standards=PDF_STANDARDS)
            notes, misplaced = note_placements(compiler)
            empty = json.loads(compiler.eval("query(<empty-page>).map(m => m.location().page())", format="json"))
            anchors = json.loads(compiler.eval(ANCHOR_QUERY, format="json"))
        except typst.TypstError as error:
            where = f"{unit.text.location} ({unit.text.source.name})" if unit.text else unit.title
            raise GalleyError([f"{where}: Typst could not typeset it: {error.message}"]) from None
        self.cache.write_bytes("pdf", key, ".pdf", pdf)
        result = {"key": key, "pages": _page_count(pdf), "notes": notes, "empty_pages": empty, "anchors": anchors,
                  "misplaced": [m.__dict__ for m in misplaced]}
        self.cache.write_json("pdf", key, result)
        return result, True


def typeset_document(template: str, data: dict, on: dt.date) -> bytes:
    """A standalone document beside the book (a form, a letter, a stamp on a page) from a Typst ``template`` that
    reads ``json(bytes(sys.inputs.data))``: the book's fonts and standards, dated ``on`` (PDF/A needs a date), so
    the same data gives the same bytes. Raises ``GalleyError`` naming what Typst refused."""
    moment = dt.datetime.combine(on, dt.time(12), tzinfo=dt.timezone.utc)
    try:
        return typst.compile(template.encode(), format="pdf", pdf_standards=PDF_STANDARDS,
                             sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
                             timestamp=int(moment.timestamp()), **FONTS)
    except typst.TypstError as error:
        raise GalleyError([f"Typst could not set {data.get('title') or 'the document'}: {error.message}"]) from None


def _page_count(pdf: bytes) -> int:
    import io

    import pikepdf

    with pikepdf.Pdf.open(io.BytesIO(pdf)) as document:
        return len(document.pages)
