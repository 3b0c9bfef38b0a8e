"""The PDF's structure: which units make the book, what the contents list, which bookmarks it carries, and
the binding of the typeset units once every unit's length is known (see ``typeset.py`` and ``bind.py``)."""

from __future__ import annotations

from pathlib import Path

from . import compose
from .bind import Bookmark, bind, compile_furniture, first_pages, plan_pages
from .cache import BuildCache, digest
from .model import VolumeModel
from .progress import Progress
from .typeset import Typesetter, TypesetUnit, Unit

MAX_CONTENTS_ROUNDS = 4


def pdf_units(model: VolumeModel, cache: BuildCache | None = None) -> list[Unit]:
    """The book's units in reading order; ``contents`` is filled in once the others have page numbers."""
    volume = model.volume
    cover = [cover_unit(model, cache)] if model.cover is not None and cache is not None else []
    title_data = {"title": volume.title, "subtitle": volume.subtitle, "series": volume.series,
                  "editors": [e.name for e in volume.editors], "publisher": volume.publisher, "place": volume.place,
                  "year": str(volume.year), "isbn": volume.isbn, "rights": volume.rights,
                  "disclaimer": volume.disclaimer, "copyright": compose.copyright_groups(volume)}
    units = [*cover, Unit("title-pages", "title-pages", "front", volume.title, data=title_data),
             Unit("contents", "contents", "front", "Contents", heads=("Contents", "Contents"))]
    for index, text in enumerate(model.front, 1):
        head = compose.running_head(text.title)
        units.append(Unit(f"front-{index}", "front", "front", text.title, heads=(head, head),
                          data={"label": "", "title": text.title, "authors": [a.name for a in text.authors]},
                          blocks=text.text.blocks, text=text, text_key=text.text.key))
    contributors = Unit("contributors", "contributors", volume.contributors, "Contributors",
                        heads=("Contributors", "Contributors"),
                        data={"title": "Contributors", "people": [p.model_dump() for p in model.contributors()]})
    if volume.contributors == "front":
        units.append(contributors)
    for part in model.parts:
        units.append(Unit(f"part-{part.number}", "part", "body", f"{part.label}: {part.title}",
                          heads=(compose.running_head(part.title),) * 2, blocks=part.introduction,
                          text_key=part.introduction_key,
                          data={"label": part.label, "title": part.title, "has_introduction": bool(part.introduction)}))
        for text in part.chapters:
            units.append(Unit(f"chapter-{text.number:02d}", "chapter", "body", text.title,
                              heads=(compose.running_head(compose.author_names(text.authors)),
                                     compose.running_head(text.running_title)),
                              data={"label": f"Chapter {text.number}", "title": text.title,
                                    "authors": [a.name for a in text.authors]},
                              blocks=text.text.blocks, text=text, text_key=text.text.key))
    if volume.contributors == "back":
        units.append(contributors)
    return units


def cover_unit(model: VolumeModel, cache: BuildCache) -> Unit:
    """The front cover, full bleed, copied under the cache root (Typst's project root) by its content."""
    data = model.cover.read_bytes()
    copied = cache.write_bytes("media", digest("cover", data), model.cover.suffix.lower(), data)
    return Unit("cover", "cover", "front", f"Cover of {model.volume.title}",
                data={"image": "/" + copied.relative_to(cache.root).as_posix(), "alt": model.cover_description})


def bind_pdf(model: VolumeModel, units: list[Unit], typeset: dict[str, TypesetUnit], typesetter: Typesetter,
              cache: BuildCache, out: Path, show: Progress,
              archive: Path | None = None, printed=None):
    """Sets the contents (again if its length moves later page numbers), the furniture, and binds the book.
    Returns each unit's first and last page (0-based index and label), every page's label and, when
    ``printed`` = (path, ``PrintSettings``) asks for the print interior, its preflight report."""
    bar = show.stage("bind", 3, "step")
    contents_unit = next(u for u in units if u.kind == "contents")
    pages = (cache.read_json("typeset", "contents-pages") or {}).get("pages", 1)
    for _ in range(MAX_CONTENTS_ROUNDS):
        placeholder = TypesetUnit(contents_unit, Path(), pages, 0, [], {}, 0, False)
        plan = plan_pages([placeholder if u.kind == "contents" else typeset[u.name] for u in units])
        contents_unit.data = {"entries": contents_entries(model, units, first_pages(plan))}
        typeset["contents"] = typesetter.typeset(contents_unit)
        if typeset["contents"].pages == pages:
            break
        pages = typeset["contents"].pages
    cache.write_json("typeset", "contents-pages", {"pages": pages})
    bar.advance("contents")
    plan = plan_pages([typeset[u.name] for u in units])
    furniture = compile_furniture(plan, typesetter, cache)
    bar.advance("running heads and folios")
    volume = model.volume
    info = {"Title": volume.title + (f": {volume.subtitle}" if volume.subtitle else ""),
            "Author": compose.author_names(volume.editors) + (" (eds.)" if len(volume.editors) > 1 else " (ed.)"),
            "Subject": volume.subtitle or volume.title, "Creator": "chapterhouse galley build"}
    report = bind(plan, furniture, pdf_bookmarks(model, units), info, volume.language, out, archive, printed)
    bar.advance("bound")
    bar.close()
    ranges: dict[str, tuple[int, int]] = {}
    for index, page in enumerate(plan):
        if page.unit is not None:
            first, _ = ranges.get(page.unit.unit.name, (index, index))
            ranges[page.unit.unit.name] = (first, index)
    return ({name: (first, last, plan[first].label, plan[last].label) for name, (first, last) in ranges.items()},
            [page.label for page in plan], report)


def contents_entries(model: VolumeModel, units: list[Unit], starts: dict[str, tuple[int, str]]) -> list[dict]:
    entries = []
    for unit in units:
        page = starts.get(unit.name, (0, ""))[1]
        if unit.kind == "front" or unit.kind == "contributors":
            authors = compose.author_names(unit.text.authors) if unit.text else ""
            entries.append({"kind": "front", "label": "", "title": unit.title, "authors": authors, "page": page,
                            "unit": unit.name})
        elif unit.kind == "part":
            entries.append({"kind": "part", "label": unit.data["label"], "title": unit.data["title"], "authors": "",
                            "page": page, "unit": unit.name})
        elif unit.kind == "chapter":
            entries.append({"kind": "chapter", "label": str(unit.text.number), "title": unit.title,
                            "authors": compose.author_names(unit.text.authors), "page": page, "unit": unit.name})
    return entries


def pdf_bookmarks(model: VolumeModel, units: list[Unit]) -> list[Bookmark]:
    marks = [Bookmark("Contents", "contents")]
    marks += [Bookmark(u.title, u.name) for u in units if u.kind == "front"]
    chapters_of = {part.number: [Bookmark(f"{t.number}. {t.title}", f"chapter-{t.number:02d}") for t in part.chapters]
                   for part in model.parts}
    contributors = Bookmark("Contributors", "contributors")
    if model.volume.contributors == "front":
        marks.append(contributors)
    marks += [Bookmark(f"{p.label}: {p.title}", f"part-{p.number}", tuple(chapters_of[p.number])) for p in model.parts]
    if model.volume.contributors == "back":
        marks.append(contributors)
    return marks


def misplaced_note(unit: TypesetUnit, note, pdf_pages: dict, labels: list[str]) -> str:
    """A note still away from its reference, with the page labels printed on the proofs."""
    where = unit.unit.text.location if unit.unit.text else unit.unit.title
    first = pdf_pages[unit.unit.name][0]

    def page(unit_page: int) -> str:
        return labels[first + unit_page - 1] if unit_page else "nowhere"

    return (f"{where}: note {note.note}: reference on page {page(note.reference_page)}, "
            f"note starts on page {page(note.entry_page)}")
