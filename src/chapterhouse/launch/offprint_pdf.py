"""A chapter's offprint: its pages cut from the published book's PDF, the volume's citation stamped at the head of
its first page, the book's folios kept as the pages' labels. Plain Python; no Django.

The stamp is a page of Typst (the galleys' runner and fonts) laid over the opener's top margin, above the chapter
title, where an opener has no running head.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from importlib import resources

import pikepdf

from chapterhouse.production.galleys.typeset import typeset_document

# Where the stamp goes on the book's page (book.typ: inside margin 0.85in on a recto, outside 0.7in, top 0.85in).
INSIDE, OUTSIDE, TOP = 0.85 * 72, 0.7 * 72, 0.22 * 72


def citation_runs(citation_html: str) -> list[tuple[str, bool]]:
    """A citation as ``chicago_chapter_html`` writes it, as (text, in italics) runs: ``<i>`` marks the book."""
    runs = []
    for index, piece in enumerate(re.split(r"</?i>", citation_html)):
        if piece:
            runs.append((html.unescape(piece), index % 2 == 1))
    return runs


def plain(runs: list[tuple[str, bool]]) -> str:
    return "".join(text for text, _ in runs)


def _stamp(width: float, height: float, runs: list[tuple[str, bool]], title: str, on: dt.date) -> pikepdf.Pdf:
    template = resources.files("chapterhouse.launch").joinpath("templates/launch/print/offprint-stamp.typ")
    data = {"title": f"Offprint stamp: {title}", "width": width, "height": height, "left": INSIDE, "top": TOP,
            "measure": width - INSIDE - OUTSIDE, "runs": runs}
    return pikepdf.Pdf.open(io.BytesIO(typeset_document(template.read_text(encoding="utf-8"), data, on)))


def offprint(book_pdf: bytes, first: int, last: int, runs: list[tuple[str, bool]], *, title: str, authors: str,
             first_label: str = "", on: dt.date) -> bytes:
    """Pages ``first``–``last`` (1-based, inclusive) of ``book_pdf`` with the citation stamped on the first."""
    with pikepdf.Pdf.open(io.BytesIO(book_pdf)) as book:
        if not 1 <= first <= last <= len(book.pages):
            raise ValueError(f"pages {first}–{last} are not in a book of {len(book.pages)} pages")
        out = pikepdf.Pdf.new()
        out.pages.extend(book.pages[first - 1:last])
        opener = out.pages[0]
        box = [float(v) for v in opener.mediabox]
        with _stamp(box[2] - box[0], box[3] - box[1], runs, title, on) as stamp:
            opener.add_overlay(stamp.pages[0])
        if first_label.isdigit():
            out.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array([0, pikepdf.Dictionary(
                S=pikepdf.Name.D, St=int(first_label))]))
        out.docinfo["/Title"] = title
        if authors:
            out.docinfo["/Author"] = authors
        out.docinfo["/Subject"] = plain(runs)
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True)
        return buffer.getvalue()
