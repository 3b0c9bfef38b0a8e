"""Benchmark for galley assembly at the default call's full size. Run by hand from the project folder:

    .venv/bin/python benches/galleys.py [--keep DIR]

It generates 4 parts of 4 chapters (16 Word chapters of 8,000 words of text, 150 notes each, block quotations,
a 30-entry bibliography) and prints, in one run:
- the full build (PDF, archive PDF, print PDF and full cover template, EPUB, DOCX) by ``chapterhouse galley build``
  from a cold cache;
- the reference: the same Word files through plain ``pandoc -t typst`` and ``typst compile`` with default
  settings (PDF only);
- the rebuild after one chapter changes (an author's proof correction, made with python-docx), and after a
  chapter grows by some paragraphs so that every later page number moves;
- peak memory (resident set of the whole process tree, pandoc included, sampled every 20 ms);
- misplaced notes for both, counted twice: from the page text (pdftotext, the unique tokens at each reference
  and note) and from Typst's own record of where each note's reference and entry landed.
Targets (issues 4 and 20): full build with the print outputs ≤ 1.3 × reference, rebuild ≤ 3 s, 0 misplaced notes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))  # run as a script or loaded from a file path (a test)
import proctree  # noqa: E402

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from tests.production import volume_factory as factory  # noqa: E402

from chapterhouse.production.galleys.footnotes import PLACEMENT_QUERY, REFERENCE_QUERY  # noqa: E402
from chapterhouse.production.galleys.pandoc import pandoc_path  # noqa: E402

PARTS = ["Law and Policy", "Industry", "Process", "Partnerships"]
CHAPTERS_PER_PART = 4
WORDS, NOTES = 8000, 150


def generate(folder: Path) -> tuple[Path, list[factory.ChapterSpec]]:
    chapters, parts, number = [], [], 0
    for part in PARTS:
        specs = []
        for _ in range(CHAPTERS_PER_PART):
            number += 1
            specs.append(factory.ChapterSpec(number, f"Chapter {number}: Security Cooperation under Pressure",
                                             [(f"Author {number}", "A University", "Writes on security cooperation.")],
                                             words=WORDS, notes=NOTES, block_quotes=5, bibliography=30,
                                             seed=1000 + number))
        chapters += specs
        parts.append((part, specs))
    manifest = factory.write_volume(folder, factory.VolumeSpec(title="U.S. Foreign Military Sales",
                                                               subtitle="A Full-Size Benchmark Volume",
                                                               parts=parts, foreword_notes=0))
    return manifest, chapters


def tree_rss(root: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    return sum(usage.rss_bytes for usage in proctree.tree(root))


def measured(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """(wall seconds, peak resident memory of the process tree, stdout) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed:\n{err}")
    return elapsed, peak, out + err


def chapterhouse_build(manifest: Path, out: Path) -> tuple[float, int, dict]:
    seconds, peak, output = measured([sys.executable, "-m", "chapterhouse.site.cli", "galley", "build", str(manifest),
                                      "--out", str(out), "--no-progress"], PROJECT)
    return seconds, peak, json.loads((out / "summary.json").read_text())


def reference_build(chapters: list[Path], folder: Path) -> tuple[float, int, Path, Path]:
    """Plain pandoc → Typst and Typst's default settings, as someone without chapterhouse would do it."""
    source, pdf = folder / "reference.typ", folder / "reference.pdf"
    pandoc_seconds, pandoc_peak, _ = measured([pandoc_path(), *map(str, chapters), "--standalone", "--to", "typst",
                                               "--output", str(source)], folder)
    typst_seconds, typst_peak, _ = measured([sys.executable, "-c", "import sys, typst; "
                                             "typst.compile(sys.argv[1], output=sys.argv[2])", str(source), str(pdf)],
                                            folder)
    return pandoc_seconds + typst_seconds, max(pandoc_peak, typst_peak), source, pdf


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def misplaced_by_tokens(pdf: Path, chapters: list[factory.ChapterSpec]) -> tuple[int, int]:
    """(misplaced, not found): notes whose token is not on the page of their reference's token."""
    page_of: dict[str, int] = {}
    for index, text in enumerate(page_texts(pdf)):
        # A note's number may be glued to its token ("6N1006" in Typst's default notes): match the token alone.
        for token in re.findall(r"[QN]\d{4,6}(?!\d)", text):
            page_of.setdefault(token, index)
    misplaced = missing = 0
    for chapter in chapters:
        for note in range(1, chapter.notes + 1):
            reference, entry = (page_of.get(token) for token in factory.note_token(chapter.number, note))
            if reference is None or entry is None:
                missing += 1
            elif reference != entry:
                misplaced += 1
    return misplaced, missing


def misplaced_by_typst(source: Path) -> int:
    import typst

    compiler = typst.Compiler(str(source))
    compiler.compile(format="pdf")
    rows = json.loads(compiler.eval(PLACEMENT_QUERY, format="json"))
    references = json.loads(compiler.eval(REFERENCE_QUERY, format="json"))
    return sum(1 for _, ref, entry in rows if ref != entry) + max(0, len(references) - len(rows))


def correct_one_chapter(path: Path, paragraphs: int = 0) -> None:
    """An author's proof correction: a sentence added to one paragraph, or whole paragraphs added (the
    chapter grows, so every later page number moves)."""
    import copy

    from docx import Document

    document = Document(str(path))
    paragraph = next(p for i, p in enumerate(document.paragraphs) if i > 20 and len(p.text) > 400)
    paragraph.add_run(" In proof the author adds a sentence that the copy editor had asked for, about the "
                      "congressional notification of a security cooperation case.")
    for _ in range(paragraphs):
        paragraph._p.addnext(copy.deepcopy(paragraph._p))
    document.save(str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="keep the generated volume and outputs in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="galley-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Generating 16 chapters × {WORDS:,} words of text, {NOTES} notes each, in {folder} …", flush=True)
    manifest, chapters = generate(folder)
    files = [folder / "chapters" / f"chapter-{c.number}.docx" for c in chapters]
    out = folder / "galleys"
    shutil.rmtree(out, ignore_errors=True)

    full_seconds, full_peak, summary = chapterhouse_build(manifest, out)
    reference_seconds, reference_peak, reference_source, reference_pdf = reference_build(files, folder)
    changed = chapters[8]
    correct_one_chapter(files[8])
    rebuild_seconds, rebuild_peak, rebuilt = chapterhouse_build(manifest, out)
    grown = chapters[4]
    correct_one_chapter(files[4], paragraphs=6)
    regrow_seconds, regrow_peak, regrown = chapterhouse_build(manifest, out)

    pdf = out / summary["outputs"]["pdf"]["file"]
    ours_tokens, ours_missing = misplaced_by_tokens(pdf, chapters)
    reference_tokens, reference_missing = misplaced_by_tokens(reference_pdf, chapters)
    reference_typst = misplaced_by_typst(reference_source)
    reference_pages = len(page_texts(reference_pdf)) - 1
    mib = 1024 * 1024
    before = next(c for c in summary["chapters"] if c["number"] == changed.number)
    after = next(c for c in rebuilt["chapters"] if c["number"] == changed.number)

    print()
    print(f"volume: {summary['words']:,} words, {summary['notes']:,} notes, {summary['pages']['total']} pages "
          f"(reference: {reference_pages} pages, Typst's default A4 page)")
    print(f"full build, all outputs   : {full_seconds:6.2f} s   peak {full_peak / mib:6.0f} MiB   "
          f"(stages: {', '.join(f'{k} {v:.2f}' for k, v in summary['seconds'].items())})")
    print(f"reference, pandoc + typst : {reference_seconds:6.2f} s   peak {reference_peak / mib:6.0f} MiB   (PDF only)")
    print(f"  ratio full / reference  : {full_seconds / reference_seconds:6.2f}    (target ≤ 1.3)")
    print(f"rebuild after one chapter : {rebuild_seconds:6.2f} s   peak {rebuild_peak / mib:6.0f} MiB   "
          f"(target ≤ 3 s; chapter {changed.number} pages {before['first_page']}–{before['last_page']} → "
          f"{after['first_page']}–{after['last_page']}; {rebuilt['cache']})")
    grew_before = next(c for c in rebuilt["chapters"] if c["number"] == grown.number)
    grew_after = next(c for c in regrown["chapters"] if c["number"] == grown.number)
    print(f"rebuild, a chapter grows   : {regrow_seconds:6.2f} s   peak {regrow_peak / mib:6.0f} MiB   "
          f"(chapter {grown.number} pages {grew_before['first_page']}–{grew_before['last_page']} → "
          f"{grew_after['first_page']}–{grew_after['last_page']}, every later page renumbered; {regrown['cache']})")
    print(f"misplaced notes, chapterhouse: {ours_tokens} by page text, {len(summary['misplaced_notes'])} by Typst "
          f"({ours_missing} tokens not found; layout fixes applied: "
          f"{sum(c['layout_fixes'] for c in summary['chapters'])})")
    print(f"misplaced notes, reference   : {reference_tokens} by page text, {reference_typst} by Typst "
          f"({reference_missing} tokens not found)")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
