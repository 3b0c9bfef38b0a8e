"""``galley build``: manifest → checked sources → one model → PDF, EPUB and DOCX, side by side on the cores.

Stages: check (refuse what is not final) → convert (pandoc, cached by content hash) → model (normalized blocks)
→ typeset units, convert EPUB units and write the DOCX in parallel → contents, furniture and binding of the
PDF, packing of the EPUB → summary.json beside the outputs. Bad input raises ``GalleyError`` naming the file or
manifest field; notes that remain misplaced after the fixes are returned as errors with the outputs written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import compose
from .bind import Bookmark, bind, compile_furniture, first_pages, plan_pages
from .cache import BuildCache, digest
from .convert import convert_file, convert_markdown
from .docx import bibliography_styled, contents_field, page_break, section_break, write_docx
from .epub import EpubUnit, NavEntry, convert_unit, write_epub
from .errors import GalleyError
from .manifest import LoadedManifest, ManifestError, Person, load_manifest
from .model import ConvertedText, PartModel, TextModel, VolumeModel, normalize_text, plain_introduction
from .pandoc import PandocFailed, pandoc_api_version
from .preflight import check_source
from .progress import Progress
from .typeset import Typesetter, TypesetUnit, Unit

FORMATS = ("pdf", "epub", "docx")
CACHE_FOLDER = ".galley-cache"
MAX_CONTENTS_ROUNDS = 4


@dataclass(frozen=True)
class Source:
    location: str  # manifest field of the text, e.g. "parts[1].chapters[0]"
    path: Path
    title: str
    authors: list[Person]


@dataclass
class BuildResult:
    outputs: dict[str, Path]
    summary_path: Path
    summary: dict
    errors: list[str] = field(default_factory=list)


def build_galleys(manifest_path: str | Path, out_dir: str | Path, formats: tuple[str, ...] = FORMATS,
                  progress: bool | None = None, jobs: int | None = None) -> BuildResult:
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    show = Progress(progress)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise GalleyError([f"--formats: {', '.join(unknown) or 'nothing'} is not one of {', '.join(FORMATS)}"])
    loaded = _load(Path(manifest_path))
    sources = _sources(loaded)
    _check(sources, show)
    seconds["check"] = time.perf_counter() - started

    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    cache = BuildCache(out / CACHE_FOLDER)
    jobs = jobs or os.cpu_count() or 2
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="galley") as pool:
        try:
            built = _build_with(pool, loaded, sources, cache, out, formats, show, seconds)
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)  # stop queued work; the error names the input
            raise
    model, converted, typeset, pdf_pages, outputs, errors = built
    seconds["total"] = time.perf_counter() - started
    summary = build_summary(model, loaded, sources, converted, typeset, pdf_pages, outputs, errors, seconds)
    summary_path = out / "summary.json"
    summary_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    cache.prune(("ast", "normalized", "media", "typst-text", "units", "unit-data", "pdf", "furniture", "epub",
                 "typeset", "fixes"))
    return BuildResult(outputs, summary_path, summary, errors)


def _build_with(pool: ThreadPoolExecutor, loaded: LoadedManifest, sources: list[Source], cache: BuildCache,
                out: Path, formats: tuple[str, ...], show: Progress, seconds: dict[str, float]):
    mark = time.perf_counter()
    model, converted = _model(loaded, sources, cache, pool, show)
    seconds["convert"] = time.perf_counter() - mark

    mark = time.perf_counter()
    stem = _slug(model.volume.title)
    outputs = {fmt: out / f"{stem}.{fmt}" for fmt in FORMATS if fmt in formats}
    typesetter = Typesetter(cache, model.api_version)
    units = pdf_units(model)
    typeset_futures = {unit.name: pool.submit(typesetter.typeset, unit) for unit in units
                       if unit.kind != "contents"} if "pdf" in formats else {}
    docx_future = pool.submit(write_docx, model.volume, docx_blocks(model), model.api_version, cache,
                              outputs["docx"]) if "docx" in formats else None
    epub_units_ = epub_units(model)
    epub_futures = [pool.submit(convert_unit, unit, model.api_version, model.volume.language, cache)
                    for unit in epub_units_] if "epub" in formats else []

    typeset: dict[str, TypesetUnit] = {}
    pdf_pages: dict[str, tuple[int, int, str, str]] = {}
    page_labels: list[str] = []
    if typeset_futures:
        bar = show.stage("typeset", len(typeset_futures), "unit")
        for name, future in typeset_futures.items():
            typeset[name] = _result(future, "PDF")
            bar.advance(typeset[name].unit.title)
        bar.close()
        seconds["typeset"] = time.perf_counter() - mark
        mark = time.perf_counter()
        pdf_pages, page_labels = _bind_pdf(model, units, typeset, typesetter, cache, outputs["pdf"], show)
        seconds["bind"] = time.perf_counter() - mark
    if epub_futures:
        bar = show.stage("epub", len(epub_futures), "unit")
        converted_units = []
        for future in epub_futures:
            converted_units.append(_result(future, "EPUB"))
            bar.advance(converted_units[-1].unit.title)
        write_epub(model.volume, converted_units, epub_navigation(model), outputs["epub"],
                   [p.name for p in model.contributors() if p not in model.volume.editors], contents_after=1)
        bar.close()
        seconds["epub"] = time.perf_counter() - mark
    if docx_future:
        bar = show.stage("docx", 1, "file")
        _result(docx_future, "DOCX")
        bar.advance()
        bar.close()
    errors = [misplaced_note(unit, note, pdf_pages, page_labels) for unit in typeset.values() for note in unit.misplaced]
    return model, converted, typeset, pdf_pages, outputs, errors


def misplaced_note(unit: TypesetUnit, note, pdf_pages: dict, labels: list[str]) -> str:
    """A note still away from its reference, with the page labels printed on the proofs."""
    where = unit.unit.text.location if unit.unit.text else unit.unit.title
    first = pdf_pages[unit.unit.name][0]

    def page(unit_page: int) -> str:
        return labels[first + unit_page - 1] if unit_page else "nowhere"

    return (f"{where}: note {note.note}: reference on page {page(note.reference_page)}, "
            f"note starts on page {page(note.entry_page)}")


def _result(future: Future, what: str):
    try:
        return future.result()
    except PandocFailed as error:
        raise GalleyError([f"{what}: pandoc could not write it: {error}"]) from None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "volume"


# -- input -------------------------------------------------------------------------------------------------

def _load(path: Path) -> LoadedManifest:
    try:
        return load_manifest(path)
    except ManifestError as error:
        raise GalleyError([str(p) for p in error.problems], f"{path}: the manifest cannot be used") from None


def _sources(loaded: LoadedManifest) -> list[Source]:
    manifest = loaded.manifest
    sources = [Source(f"front_matter[{i}]", loaded.resolve(item.file), item.title, list(item.authors))
               for i, item in enumerate(manifest.front_matter)]
    for p, part in enumerate(manifest.parts):
        sources += [Source(f"parts[{p}].chapters[{c}]", loaded.resolve(chapter.file), chapter.title,
                           list(chapter.authors)) for c, chapter in enumerate(part.chapters)]
    seen: dict[Path, str] = {}
    problems = []
    for source in sources:
        if source.path in seen:
            problems.append(f"{source.location}.file: the same file as {seen[source.path]}.file ({source.path.name})")
        seen.setdefault(source.path, source.location)
    if problems:
        raise GalleyError(problems, "The manifest names a file twice")
    return sources


def _check(sources: list[Source], show: Progress) -> None:
    bar = show.stage("check", len(sources), "file")
    findings = []
    for source in sources:
        findings += check_source(source.path, f"{source.location}.file")
        bar.advance(source.path.name)
    bar.close()
    if findings:
        raise GalleyError([str(f) for f in findings], "Some texts cannot be typeset yet")


def _model(loaded: LoadedManifest, sources: list[Source], cache: BuildCache, pool: ThreadPoolExecutor,
           show: Progress) -> tuple[VolumeModel, dict[str, bool]]:
    """Converts every source (cached) and normalizes it; returns the model and which sources were converted."""
    bar = show.stage("convert", len(sources), "file")
    futures = {source.location: pool.submit(convert_file, source.path, cache) for source in sources}
    texts: dict[str, TextModel] = {}
    converted: dict[str, bool] = {}
    problems: list[str] = []
    for source in sources:
        try:
            result = futures[source.location].result()
        except PandocFailed as error:
            problems.append(f"{source.location}.file ({source.path.name}): pandoc cannot read it: {error}")
            bar.advance(source.path.name)
            continue
        converted[source.location] = result.converted
        text, trouble = _normalized(result, source, cache)
        problems += [f"{source.location}.file ({source.path.name}): {t}" for t in trouble]
        texts[source.location] = TextModel(source.location, source.path, result.sha256, source.title,
                                           source.authors, text)
        bar.advance(source.path.name)
    bar.close()
    if problems:
        raise GalleyError(problems, "Some texts cannot be typeset")
    manifest = loaded.manifest
    front = [texts[f"front_matter[{i}]"] for i in range(len(manifest.front_matter))]
    parts, number = [], 0
    for p, part in enumerate(manifest.parts):
        try:
            key, introduction = convert_markdown(part.introduction, cache) if part.introduction.strip() else ("", {})
        except PandocFailed as error:
            raise GalleyError([f"parts[{p}].introduction: pandoc cannot read it as Markdown: {error}"]) from None
        model_part = PartModel(p + 1, part.title, plain_introduction(introduction), key)
        for c, chapter in enumerate(part.chapters):
            number += 1
            text = texts[f"parts[{p}].chapters[{c}]"]
            text.number, text.running_title = number, chapter.running_title
            model_part.chapters.append(text)
        parts.append(model_part)
    return VolumeModel(manifest.volume, front, parts, pandoc_api_version()), converted


def _normalized(result, source: Source, cache: BuildCache) -> tuple[ConvertedText, list[str]]:
    """The normalized text, from the cache when this source, title and authors were normalized before."""
    key = digest("normalized", result.key, source.title, json.dumps([a.model_dump() for a in source.authors]))
    known = cache.read_json("normalized", key)
    if known is not None:
        return ConvertedText(known["blocks"], known["words"], known["notes"], key), known["problems"]
    text, problems = normalize_text(result.document(), source.title, source.authors)
    cache.write_json("normalized", key, {"blocks": text.blocks, "words": text.words, "notes": text.notes,
                                         "problems": problems})
    text.key = key
    return text, problems


# -- the PDF ------------------------------------------------------------------------------------------------

def pdf_units(model: VolumeModel) -> list[Unit]:
    """The book's units in reading order; ``contents`` is filled in once the others have page numbers."""
    volume = model.volume
    title_data = {"title": volume.title, "subtitle": volume.subtitle, "series": volume.series,
                  "editors": [e.name for e in volume.editors], "publisher": volume.publisher, "place": volume.place,
                  "year": str(volume.year), "isbn": volume.isbn, "rights": volume.rights,
                  "disclaimer": volume.disclaimer}
    units = [Unit("title-pages", "title-pages", "front", volume.title, data=title_data),
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


def _bind_pdf(model: VolumeModel, units: list[Unit], typeset: dict[str, TypesetUnit], typesetter: Typesetter,
              cache: BuildCache, out: Path, show: Progress) -> tuple[dict[str, tuple[int, int, str, str]], list[str]]:
    """Sets the contents (again if its length moves later page numbers), the furniture, and binds the book.
    Returns each unit's first and last page (0-based index and label) and every page's label."""
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
    bind(plan, furniture, pdf_bookmarks(model, units), info, volume.language, out)
    bar.advance("bound")
    bar.close()
    ranges: dict[str, tuple[int, int]] = {}
    for index, page in enumerate(plan):
        if page.unit is not None:
            first, _ = ranges.get(page.unit.unit.name, (index, index))
            ranges[page.unit.unit.name] = (first, index)
    return ({name: (first, last, plan[first].label, plan[last].label) for name, (first, last) in ranges.items()},
            [page.label for page in plan])


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


# -- EPUB and DOCX ---------------------------------------------------------------------------------------------

def epub_units(model: VolumeModel) -> list[EpubUnit]:
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


def epub_navigation(model: VolumeModel) -> list[NavEntry]:
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


def docx_blocks(model: VolumeModel) -> list[dict]:
    volume = model.volume
    toc = [(1, t.title) for t in model.front]
    for part in model.parts:
        toc.append((1, f"{part.label}: {part.title}"))
        toc += [(2, f"{t.number}. {t.title}") for t in part.chapters]
    toc.append((1, "Contributors"))
    blocks = [*compose.title_page_blocks(volume), page_break(), *compose.copyright_blocks(volume), page_break(),
              contents_field(toc), section_break()]
    for text in model.front:
        blocks += [*bibliography_styled(compose.text_blocks(text, 1)), section_break()]
    contributors = [*compose.contributors_blocks(model.contributors(), 1), section_break()]
    if volume.contributors == "front":
        blocks += contributors
    for part in model.parts:
        blocks += [*compose.part_blocks(part, 1), page_break()]
        for text in part.chapters:
            blocks += [*bibliography_styled(compose.text_blocks(text, 2, f"Chapter {text.number}")), section_break()]
    if volume.contributors == "back":
        blocks += contributors
    return blocks[:-1] if blocks and blocks[-1] == section_break() else blocks


# -- summary ------------------------------------------------------------------------------------------------

def build_summary(model: VolumeModel, loaded: LoadedManifest, sources: list[Source], converted: dict[str, bool],
                  typeset: dict[str, TypesetUnit], pdf_pages: dict, outputs: dict[str, Path], errors: list[str],
                  seconds: dict[str, float]) -> dict:
    """What was built, in numbers a production editor (or the web app) can read back."""

    def text_entry(text: TextModel, unit_name: str) -> dict:
        entry = {"title": text.title, "authors": [a.name for a in text.authors], "file": str(text.source),
                 "manifest_field": text.location, "sha256": text.sha256, "words": text.text.words,
                 "notes": text.text.notes}
        if unit_name in pdf_pages:
            first, last, first_label, last_label = pdf_pages[unit_name]
            unit = typeset[unit_name]
            entry.update({"first_page": first_label, "last_page": last_label, "pdf_pages": [first + 1, last + 1],
                          "pages": last - first + 1, "layout_fixes": len(unit.fixes),
                          "misplaced_notes": [m.describe() for m in unit.misplaced]})
        return entry

    chapters = []
    for part in model.parts:
        for text in part.chapters:
            chapters.append({"number": text.number, "part": part.number, **text_entry(text, f"chapter-{text.number:02d}")})
    total_pages = max((last for _, last, _, _ in pdf_pages.values()), default=-1) + 1
    body_start = next((first for name, (first, *_rest) in pdf_pages.items() if name.startswith("part-")), None)
    compiled = sum(1 for u in typeset.values() if u.compiled)
    return {
        "volume": {"title": model.volume.title, "subtitle": model.volume.subtitle,
                   "editors": [e.name for e in model.volume.editors]},
        "manifest": str(loaded.path),
        "built": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "outputs": {fmt: {"file": path.name, "bytes": path.stat().st_size} for fmt, path in outputs.items()
                    if path.exists()},
        "pages": {"total": total_pages, "front_matter": body_start or 0,
                  "body_and_back": total_pages - (body_start or 0)} if pdf_pages else None,
        "words": sum(t.text.words for t in model.texts()),
        "notes": sum(t.text.notes for t in model.texts()),
        "parts": [{"number": p.number, "title": p.title,
                   **({"first_page": pdf_pages[f"part-{p.number}"][2]} if pdf_pages else {})} for p in model.parts],
        "front_matter": [text_entry(t, f"front-{i}") for i, t in enumerate(model.front, 1)],
        "chapters": chapters,
        "misplaced_notes": errors,
        "cache": {"sources_converted": sum(converted.values()), "sources_from_cache": len(converted) - sum(converted.values()),
                  "units_compiled": compiled, "units_from_cache": len(typeset) - compiled},
        "seconds": {stage: round(value, 3) for stage, value in seconds.items()},
    }
