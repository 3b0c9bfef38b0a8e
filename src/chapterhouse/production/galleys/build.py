"""``galley build``: manifest → checked sources → one model → PDF, EPUB and DOCX, side by side on the cores.

Stages: check (refuse what is not final) → convert (pandoc, cached by content hash) → model (normalized blocks)
→ typeset units, convert EPUB units and write the DOCX in parallel → contents, furniture and binding of the
PDF, packing of the EPUB → summary.json beside the outputs. Bad input raises ``GalleyError`` naming the file or
manifest field; notes that remain misplaced after the fixes are returned as errors with the outputs written.
"""

from __future__ import annotations

import json
import os
import re
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .cache import BuildCache, digest
from .convert import convert_file, convert_markdown
from .docx import volume_blocks, write_docx
from .epub import convert_unit, volume_navigation, volume_units, write_epub
from .errors import GalleyError
from chapterhouse.production.cover_spec import cover_spec, write_template
from chapterhouse.production.print_settings import PrintSettings
from .manifest import LoadedManifest, ManifestError, Person, load_manifest, without_lead_in
from .model import ConvertedText, PartModel, TextModel, VolumeModel, normalize_text, plain_introduction
from .pagelist import print_pages
from .pandoc import PandocFailed, pandoc_api_version
from .pdf import bind_pdf, misplaced_note, pdf_units
from .preflight import check_source
from .progress import Progress
from .summary import build_summary
from .typeset import Typesetter, TypesetUnit

FORMATS = ("pdf", "epub", "docx", "print")
ARCHIVE = "pdf-archive"
PRINT = "print"  # the print interior (printpdf.py), made from the bound PDF's pages
COVER_TEMPLATE = "cover-template"  # the full cover's template for the designer (cover_spec.py)
CACHE_FOLDER = ".galley-cache"


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
                  progress: bool | None = None, jobs: int | None = None, report=None,
                  cache_dir: str | Path | None = None, print_settings: PrintSettings | None = None) -> BuildResult:
    """``report(stage, done, total, label)`` is called at every step when given (the web app's progress);
    ``cache_dir`` (default: inside ``out_dir``) lets runs into fresh output folders share one cache;
    ``print_settings`` (bleed, crop marks, paper) shape the ``print`` outputs, the defaults when not given."""
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    show = Progress(progress, report)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or not formats:
        raise GalleyError([f"--formats: {', '.join(unknown) or 'nothing'} is not one of {', '.join(FORMATS)}"])
    if PRINT in formats and "pdf" not in formats:
        raise GalleyError(["--formats: print is made from the pdf's pages; add pdf"])
    loaded = _load(Path(manifest_path))
    sources = _sources(loaded)
    _check(sources, show)
    seconds["check"] = time.perf_counter() - started

    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    cache = BuildCache(Path(cache_dir) if cache_dir else out / CACHE_FOLDER)
    jobs = jobs or os.cpu_count() or 2
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="galley") as pool:
        try:
            built = _build_with(pool, loaded, sources, cache, out, formats, show, seconds,
                                print_settings or PrintSettings())
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)  # stop queued work; the error names the input
            raise
    model, converted, typeset, pdf_pages, outputs, errors, printed = built
    seconds["total"] = time.perf_counter() - started
    summary = build_summary(model, loaded, converted, typeset, pdf_pages, outputs, errors, seconds)
    if printed:
        summary["print"] = printed
    summary_path = out / "summary.json"
    summary_path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    cache.prune(("ast", "normalized", "media", "typst-text", "units", "unit-data", "pdf", "furniture", "epub",
                 "typeset", "pagetext"))
    return BuildResult(outputs, summary_path, summary, errors)


def _build_with(pool: ThreadPoolExecutor, loaded: LoadedManifest, sources: list[Source], cache: BuildCache,
                out: Path, formats: tuple[str, ...], show: Progress, seconds: dict[str, float],
                print_settings: PrintSettings):
    mark = time.perf_counter()
    model, converted = _model(loaded, sources, cache, pool, show)
    seconds["convert"] = time.perf_counter() - mark

    mark = time.perf_counter()
    stem = _slug(model.volume.title)
    outputs = {fmt: out / f"{stem}.{fmt}" for fmt in ("pdf", "epub", "docx") if fmt in formats}
    if "pdf" in formats:
        outputs[ARCHIVE] = out / f"{stem}-archive.pdf"  # the same pages identified as PDF/A-2a
    if PRINT in formats:
        outputs[PRINT] = out / f"{stem}-print.pdf"  # the same pages with bleed and trim boxes, no cover
        outputs[COVER_TEMPLATE] = out / f"{stem}-cover-template.pdf"
    typesetter = Typesetter(cache, model.api_version)
    units = pdf_units(model, cache)
    typeset_futures = {unit.name: pool.submit(typesetter.typeset, unit) for unit in units
                       if unit.kind != "contents"} if "pdf" in formats else {}
    docx_future = pool.submit(write_docx, model.volume, volume_blocks(model), model.api_version, cache,
                              outputs["docx"]) if "docx" in formats else None
    epub_futures = [pool.submit(convert_unit, unit, model.api_version, model.volume.language, cache)
                    for unit in volume_units(model)] if "epub" in formats else []

    typeset: dict[str, TypesetUnit] = {}
    pdf_pages: dict[str, tuple[int, int, str, str]] = {}
    page_labels: list[str] = []
    printed: dict = {}
    if typeset_futures:
        bar = show.stage("typeset", len(typeset_futures), "unit")
        for name, future in typeset_futures.items():
            typeset[name] = _result(future, "PDF")
            bar.advance(typeset[name].unit.title)
        bar.close()
        seconds["typeset"] = time.perf_counter() - mark
        mark = time.perf_counter()
        pdf_pages, page_labels, report = bind_pdf(
            model, units, typeset, typesetter, cache, outputs["pdf"], show, archive=outputs[ARCHIVE],
            printed=(outputs[PRINT], print_settings) if PRINT in formats else None)
        seconds["bind"] = time.perf_counter() - mark
        if report is not None:
            mark = time.perf_counter()
            spec = cover_spec(report.pages, print_settings, report.trim_in)
            write_template(spec, model.volume.title, model.volume.isbn, outputs[COVER_TEMPLATE])
            printed = {"interior": report.as_json(), "cover": spec.as_json()}
            seconds["cover"] = time.perf_counter() - mark
    if epub_futures:
        bar = show.stage("epub", len(epub_futures), "unit")
        converted_units = []
        for future in epub_futures:
            converted_units.append(_result(future, "EPUB"))
            bar.advance(converted_units[-1].unit.title)
        pages = print_pages({name: unit.pdf for name, unit in typeset.items()}, pdf_pages, page_labels,
                            cache) if typeset else None
        write_epub(model.volume, converted_units, volume_navigation(model), outputs["epub"],
                   [p.name for p in model.contributors() if p not in model.volume.editors], contents_after=1,
                   cover=model.cover, cover_description=model.cover_description, print_pages=pages)
        bar.close()
        seconds["epub"] = time.perf_counter() - mark
    if docx_future:
        bar = show.stage("docx", 1, "file")
        _result(docx_future, "DOCX")
        bar.advance()
        bar.close()
    errors = [misplaced_note(unit, note, pdf_pages, page_labels) for unit in typeset.values() for note in unit.misplaced]
    return model, converted, typeset, pdf_pages, outputs, errors, printed


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
            text = without_lead_in(part.introduction)  # a lead-in ending in a colon with nothing after it goes
            key, introduction = convert_markdown(text, cache) if text.strip() else ("", {})
        except PandocFailed as error:
            raise GalleyError([f"parts[{p}].introduction: pandoc cannot read it as Markdown: {error}"]) from None
        model_part = PartModel(p + 1, part.title, plain_introduction(introduction), key)
        for c, chapter in enumerate(part.chapters):
            number += 1
            text = texts[f"parts[{p}].chapters[{c}]"]
            text.number, text.running_title = number, chapter.running_title
            model_part.chapters.append(text)
        parts.append(model_part)
    cover = loaded.resolve(manifest.volume.cover) if manifest.volume.cover else None
    if cover is not None and not cover.is_file():
        raise GalleyError([f"volume.cover: {manifest.volume.cover} is not a file next to the manifest"])
    return VolumeModel(manifest.volume, front, parts, pandoc_api_version(), cover), converted


def _normalized(result, source: Source, cache: BuildCache) -> tuple[ConvertedText, list[str]]:
    """The normalized text, from the cache when this source, title and authors were normalized before."""
    key = digest("normalized-2", result.key, source.title, json.dumps([a.model_dump() for a in source.authors]))
    known = cache.read_json("normalized", key)
    if known is not None:
        return ConvertedText(known["blocks"], known["words"], known["notes"], key), known["problems"]
    text, problems = normalize_text(result.document(), source.title, source.authors)
    cache.write_json("normalized", key, {"blocks": text.blocks, "words": text.words, "notes": text.notes,
                                         "problems": problems})
    text.key = key
    return text, problems
