"""The combined PDF of the manuscript for the clearance package, typeset by the galley engine.

Writes a galley manifest for the chapters as they stand (parts in the volume's order, empty parts skipped) in a
working folder and builds only the PDF. This is the clearance stage's own small manifest writer until the
production stage's manifest-from-the-database lands; it needs nothing but the chapters' bytes and names.
Plain Python; no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chapterhouse.production.galleys.build import build_galleys
from chapterhouse.production.galleys.manifest import default_disclaimer, toml_string


@dataclass(frozen=True)
class ManuscriptChapter:
    title: str
    authors: tuple[tuple[str, str], ...]  # (name, affiliation)
    part: str
    data: bytes  # the .docx


@dataclass(frozen=True)
class VolumeInfo:
    title: str
    subtitle: str
    publisher: str
    editors: tuple[tuple[str, str], ...]
    year: int


def manifest_text(volume: VolumeInfo, chapters: list[ManuscriptChapter]) -> str:
    """The manifest TOML for ``chapters`` saved as ``chapters/NN.docx`` beside it, one part per part name."""
    lines = ["schema = 1", "[volume]", f"title = {toml_string(volume.title)}",
             f"subtitle = {toml_string(volume.subtitle)}", f"publisher = {toml_string(volume.publisher)}",
             f"year = {volume.year}", f"disclaimer = {toml_string(default_disclaimer(volume.publisher))}"]
    for name, affiliation in volume.editors:
        lines += ["[[volume.editors]]", f"name = {toml_string(name)}", f"affiliation = {toml_string(affiliation)}"]
    part = None
    for number, chapter in enumerate(chapters, 1):
        if chapter.part != part:
            part = chapter.part
            lines += ["[[parts]]", f"title = {toml_string(part)}"]
        lines += ["[[parts.chapters]]", f'file = "chapters/{number:02d}.docx"', f"title = {toml_string(chapter.title)}"]
        for name, affiliation in chapter.authors or (("Anonymous", ""),):
            lines += ["[[parts.chapters.authors]]", f"name = {toml_string(name)}",
                      f"affiliation = {toml_string(affiliation)}"]
    return "\n".join(lines) + "\n"


def combined_pdf(volume: VolumeInfo, chapters: list[ManuscriptChapter], folder: Path) -> tuple[bytes, int]:
    """The PDF's bytes and its page count. Raises the galley engine's ``GalleyError`` for unusable chapters."""
    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    for number, chapter in enumerate(chapters, 1):
        (folder / "chapters" / f"{number:02d}.docx").write_bytes(chapter.data)
    manifest = folder / "manifest.toml"
    manifest.write_text(manifest_text(volume, chapters), encoding="utf-8")
    result = build_galleys(manifest, folder / "out", formats=("pdf",), progress=False, jobs=1)
    pages = (result.summary.get("pages") or {}).get("total") or 0
    return result.outputs["pdf"].read_bytes(), pages
