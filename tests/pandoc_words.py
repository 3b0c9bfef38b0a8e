"""Pandoc's reading of a .docx, counted the way the issue defines it: tracked changes accepted, split on whitespace.

The reference for the checker's word count. Pandoc's JSON is walked rather than its plain-text output, which
adds table borders and note markers. Notes are gathered as their own text (a note sits inside a word in the
AST: ``Str "Ouch", Note […], Str "."`` is the one word "Ouch." followed by the note), and an image's alt text
is left out, as Word leaves it out of its count.
"""

from __future__ import annotations

import json
import subprocess

import pypandoc

PANDOC = pypandoc.get_pandoc_path()
_BREAKS = {"Space", "SoftBreak", "LineBreak"}
_BLOCKS = {"Para", "Plain", "Header", "CodeBlock", "RawBlock", "LineBlock"}


def pandoc_json(path) -> dict:
    result = subprocess.run([PANDOC, "-f", "docx", "--track-changes=accept", "-t", "json", str(path)],
                            capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout)


def pandoc_words(path) -> int:
    """Words of the body and the notes together."""
    body: list[str] = []
    notes: list[str] = []
    _walk(pandoc_json(path)["blocks"], body, notes)
    return len("".join(body).split()) + len("".join(notes).split())


def _walk(node, out: list[str], notes: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, out, notes)
        return
    if not isinstance(node, dict):
        return
    kind, content = node.get("t"), node.get("c")
    if kind == "Str":
        out.append(content)
    elif kind in _BREAKS:
        out.append(" ")
    elif kind in ("Code", "Math"):
        out.append(" " + content[-1] + " ")
    elif kind == "Note":
        notes.append(" ")
        _walk(content, notes, notes)
        notes.append(" ")
    elif kind == "Image":
        return  # content[1] is the alt text: not counted
    else:
        _walk(content, out, notes)
        if kind in _BLOCKS:
            out.append(" ")
