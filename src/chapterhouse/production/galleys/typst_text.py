"""A text's blocks as Typst markup, with the hooks the footnote check needs and the layout fixes it asks for.

Three things are added to pandoc's own Typst writer here:
- each note carries ``#metadata("nK")<chnote>`` so a query can tell on which page its entry starts;
- block quotations and bibliographies become styled runs of paragraphs instead of boxes (a note inside a box
  is placed on the page where the box ends);
- a paragraph whose note was misplaced in an earlier pass is wrapped in the fix chosen for it (see
  ``footnotes.py``), and nothing else changes.
"""

from __future__ import annotations

import json
import re

from . import pandoc_ast as A
from .cache import BuildCache, digest
from .model import SECTION_LEVEL, image_alt_text
from .pandoc import run_pandoc, pandoc_version

NOTE_LABEL = "chnote"
NOTE_ID = re.compile(r'#metadata\("n(\d+)"\)<' + NOTE_LABEL + ">")
TYPST_TEXT_VERSION = "typst-text-2"
PDF_SECTION_LEVEL = 2  # the unit's own title is its level-1 heading in the tagged PDF
# An included file has its own scope: it imports the styles its raw blocks call.
BODY_PREAMBLE = '#import "/template/book.typ": quotation-style, bibliography-style\n'


# What a fix sets on one paragraph. "free-lines" lets the paragraph leave a widow or orphan so the line with
# the reference can stay on the page of its note; "tighten"/"loosen" re-break the paragraph so that line moves.
FIX_SETTINGS = {
    "free-lines": "#set text(costs: (widow: 0%, orphan: 0%))",
    "tighten": "#set text(tracking: -0.012em, costs: (widow: 0%, orphan: 0%))",
    "loosen": "#set text(tracking: 0.015em, costs: (widow: 0%, orphan: 0%))",
}


def typst_markup(blocks: list[dict], api_version: list[int], cache: BuildCache,
                 fixes: dict[int, str] | None = None) -> tuple[str, str]:
    """(path under the cache root, Typst markup) for the blocks, cached by the blocks and the fixes."""
    fixes = fixes or {}
    prepared = prepared_blocks(blocks, fixes)
    payload = json.dumps(A.document(prepared, api_version), ensure_ascii=False).encode()
    key = digest(TYPST_TEXT_VERSION, pandoc_version(), payload)
    path = cache.path("typst-text", key, ".typ")
    relative = path.relative_to(cache.root).as_posix()
    if path.exists():
        return relative, path.read_text(encoding="utf-8")
    markup = BODY_PREAMBLE + run_pandoc(["--from", "json", "--to", "typst", "--wrap=none"], input=payload,
                                        cwd=cache.root).decode()
    cache.write_bytes("typst-text", key, ".typ", markup.encode())
    return relative, markup


def prepared_blocks(blocks: list[dict], fixes: dict[int, str]) -> list[dict]:
    copied = json.loads(json.dumps(blocks))
    _label_notes(copied)
    _headings_without_gaps(A.elements(copied, "Header"))
    for image in A.elements(copied, "Image"):
        target = image["c"][2]
        if "://" not in target[0] and not target[0].startswith("/"):
            target[0] = "/" + target[0]  # pictures live under the cache root, which is Typst's project root
    _images_with_alt_text(copied)
    return _restyled(copied, fixes, depth=0)


def _images_with_alt_text(blocks: list[dict]) -> None:
    """Pandoc's Typst writer drops a picture's alt text, which the tagged PDF needs: each picture is written
    as Typst with its ``alt`` (pictures without one are refused before typesetting, see ``model.py``)."""
    alt = image_alt_text(blocks)

    def rewrite(element: dict) -> None:
        if element["t"] not in ("Plain", "Para"):
            return
        for index, inline in enumerate(element["c"]):
            if inline["t"] == "Image":
                width = dict(inline["c"][0][2]).get("width", "")
                size = f", width: {width}" if re.fullmatch(r"\d+(\.\d+)?(%|pt|in|cm|mm|em)", width) else ""
                element["c"][index] = A.RawInline("typst", f"#box(image({json.dumps(inline['c'][2][0])}{size}, "
                                                           f"alt: {json.dumps(alt.get(id(inline), ''), ensure_ascii=False)}))")

    A.walk(blocks, rewrite)


def _headings_without_gaps(headers: list[dict]) -> None:
    """Sections from level 2 with no level skipped (Heading 1 then Heading 3 in Word becomes 2 then 3): the
    tagged PDF's headings must nest, as PDF/UA-1 requires."""
    previous = PDF_SECTION_LEVEL - 1
    for header in headers:
        level = min(header["c"][0] - SECTION_LEVEL + PDF_SECTION_LEVEL, previous + 1)
        header["c"][0] = previous = max(PDF_SECTION_LEVEL, level)


def _label_notes(blocks: list[dict]) -> None:
    counter = 0

    def label(element: dict) -> None:
        nonlocal counter
        if element["t"] != "Note":
            return
        counter += 1
        marker = A.RawInline("typst", f'#metadata("n{counter}")<{NOTE_LABEL}>')
        content = element["c"]
        if content and content[0]["t"] in ("Para", "Plain"):
            content[0]["c"].insert(0, marker)
        else:
            content.insert(0, {"t": "Plain", "c": [marker]})

    A.walk(blocks, label)


def _restyled(blocks: list[dict], fixes: dict[int, str], depth: int) -> list[dict]:
    out: list[dict] = []
    for block in blocks:
        kind = block["t"]
        if kind == "BlockQuote":
            out.append(A.RawBlock("typst", f"#[#show: quotation-style.with(depth: {depth + 1})\n#v(0.3em)\n"))
            out.extend(_restyled(block["c"], fixes, depth + 1))
            out.append(A.RawBlock("typst", "\n#v(0.3em)\n]"))
        elif kind == "Div":
            inner = _restyled(block["c"][1], fixes, depth)
            if "bibliography" in block["c"][0][1]:
                out.append(A.RawBlock("typst", "#[#show: bibliography-style\n"))
                out.extend(inner)
                out.append(A.RawBlock("typst", "\n]"))
            else:
                out.extend(inner)  # a Div would become a box in Typst
        elif kind in ("Para", "Plain") and fixes:
            chosen = {fixes[n] for n in note_ids(block) if n in fixes}
            if chosen:
                settings = "\n".join(FIX_SETTINGS[f] for f in sorted(chosen, key=list(FIX_SETTINGS).index))
                out += [A.RawBlock("typst", "#[" + settings + "\n"), block, A.RawBlock("typst", "\n]")]
            else:
                out.append(block)
        else:
            out.append(block)
    return out


def note_ids(block: dict) -> list[int]:
    ids: list[int] = []
    A.walk(block, lambda e: ids.extend(int(m) for m in NOTE_ID.findall(e["c"][1]))
           if e["t"] == "RawInline" and e["c"][0] == "typst" else None)
    return ids
