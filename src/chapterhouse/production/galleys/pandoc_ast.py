"""Small helpers over pandoc's JSON document model (the one model every output is written from)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

NO_ATTR = ["", [], []]


def Str(text: str) -> dict:
    return {"t": "Str", "c": text}


def inlines(text: str) -> list[dict]:
    """Plain text as pandoc inlines (words and spaces), never parsed as markup."""
    out: list[dict] = []
    for index, word in enumerate(text.split()):
        if index:
            out.append({"t": "Space"})
        out.append(Str(word))
    return out


def Para(content: list[dict]) -> dict:
    return {"t": "Para", "c": content}


def Header(level: int, content: list[dict], classes: list[str] | None = None) -> dict:
    return {"t": "Header", "c": [level, ["", classes or [], []], content]}


def Div(blocks: list[dict], classes: list[str] | None = None, attributes: list[list[str]] | None = None) -> dict:
    return {"t": "Div", "c": [["", classes or [], attributes or []], blocks]}


def Span(content: list[dict], classes: list[str] | None = None, attributes: list[list[str]] | None = None) -> dict:
    return {"t": "Span", "c": [["", classes or [], attributes or []], content]}


def RawBlock(fmt: str, text: str) -> dict:
    return {"t": "RawBlock", "c": [fmt, text]}


def RawInline(fmt: str, text: str) -> dict:
    return {"t": "RawInline", "c": [fmt, text]}


def Emph(content: list[dict]) -> dict:
    return {"t": "Emph", "c": content}


def Strong(content: list[dict]) -> dict:
    return {"t": "Strong", "c": content}


def document(blocks: list[dict], api_version: list[int], meta: dict | None = None) -> dict:
    return {"pandoc-api-version": api_version, "meta": meta or {}, "blocks": blocks}


def meta_string(text: str) -> dict:
    return {"t": "MetaString", "c": text}


def walk(node, visit: Callable[[dict], None]) -> None:
    """Calls ``visit`` on every element (dicts with a "t"), in document order, parents before children."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if "t" in current:
                visit(current)
            children = current.get("c")
            if isinstance(children, list):
                stack.extend(reversed(children))
        elif isinstance(current, list):
            stack.extend(reversed(current))


def elements(node, kind: str) -> Iterator[dict]:
    return iter(elements_of(node, (kind,))[kind])


def elements_of(node, kinds: tuple[str, ...]) -> dict[str, list[dict]]:
    """Every element of the given kinds, in document order, in one walk."""
    found: dict[str, list[dict]] = {kind: [] for kind in kinds}
    walk(node, lambda element: found[element["t"]].append(element) if element["t"] in found else None)
    return found


def stringify(node, notes: bool = True) -> str:
    """The text of a node, with spaces for breaks; notes left out when ``notes`` is false (titles)."""
    parts: list[str] = []

    def collect(current) -> None:
        if isinstance(current, list):
            for item in current:
                collect(item)
            return
        if not isinstance(current, dict):
            return
        kind = current.get("t")
        if kind == "Str":
            parts.append(current["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Code", "Math"):
            parts.append(current["c"][1])
        elif kind == "Quoted":
            quote = "“”" if current["c"][0]["t"] == "DoubleQuote" else "‘’"
            parts.append(quote[0])
            collect(current["c"][1])
            parts.append(quote[1])
        elif kind == "Note":
            if notes:
                parts.append(" ")
                collect(current["c"])
                parts.append(" ")
        elif kind in ("RawInline", "RawBlock"):
            return
        elif kind in ("Para", "Plain", "Header", "CodeBlock"):
            collect(current.get("c"))
            parts.append(" ")
        else:
            collect(current.get("c"))

    collect(node)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def word_count(node) -> int:
    return sum(1 for token in stringify(node).split() if any(ch.isalnum() for ch in token))


def comparable(text: str) -> str:
    """Text reduced for comparing a heading with a title: case, punctuation and spacing ignored."""
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()
