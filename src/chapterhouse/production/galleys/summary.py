"""summary.json: what a build made, in numbers a production editor (or the web app) can read back: pages,
words, notes, each chapter's page range and layout fixes, misplaced notes, what came from the cache, timings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .manifest import LoadedManifest
from .model import TextModel, VolumeModel
from .typeset import TypesetUnit


def build_summary(model: VolumeModel, loaded: LoadedManifest, converted: dict[str, bool],
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
