"""Pandoc blocks for the pages that are not an author's text (title page, copyright page, part openers,
chapter headings with their authors, the list of contributors), shared by the EPUB and DOCX writers so both
say the same thing as the PDF. ``custom-style`` names the Word style; classes name the EPUB's CSS rules.
"""

from __future__ import annotations

import json

from . import pandoc_ast as A
from .manifest import Person, Volume
from .model import SECTION_LEVEL, PartModel, TextModel


def names(people: list[str]) -> str:
    if len(people) <= 1:
        return "".join(people)
    if len(people) == 2:
        return f"{people[0]} and {people[1]}"
    return ", ".join(people[:-1]) + ", and " + people[-1]


def author_names(authors: list[Person]) -> str:
    return names([person.name for person in authors])


RUNNING_HEAD_CHARACTERS = 52  # what fits in small capitals across the head line of a 6 × 9 page


def running_head(text: str) -> str:
    """A running head that fits on one line: cut at a word with an ellipsis (``short_title`` chooses better)."""
    if len(text) <= RUNNING_HEAD_CHARACTERS:
        return text
    cut = text[:RUNNING_HEAD_CHARACTERS - 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return cut + "…"


def styled(style: str, content: list[dict], css: str) -> dict:
    """A paragraph with a Word style and a CSS class."""
    return A.Div([A.Para(content)], classes=[css], attributes=[["custom-style", style]])


def title_page_blocks(volume: Volume, as_heading: bool = False) -> list[dict]:
    """The title page; ``as_heading`` makes the title the file's heading (pandoc's EPUB writer invents one
    from the metadata for a file that starts without a heading)."""
    if as_heading:
        blocks = [A.Header(1, A.inlines(volume.title), classes=["book-title"])]
    else:
        blocks = [styled("Title", A.inlines(volume.title), "book-title")]
    if volume.subtitle:
        blocks.append(styled("Subtitle", A.inlines(volume.subtitle), "book-subtitle"))
    blocks.append(styled("Editors", A.inlines("Edited by " + author_names(volume.editors)), "book-editors"))
    publisher = volume.publisher + (f", {volume.place}" if volume.place else "")
    blocks.append(styled("Publisher", A.inlines(publisher), "book-publisher"))
    return [A.Div(blocks, classes=["title-page"])]


def isbn_lines(volume: Volume) -> list[str]:
    """"ISBN 978-… (print)" for each edition with an ISBN, print first, as the copyright page lists them."""
    return [f"ISBN {isbn} ({edition})" for edition, isbn in
            (("print", volume.isbn), ("PDF", volume.isbn_pdf), ("EPUB", volume.isbn_epub)) if isbn]


def copyright_groups(volume: Volume) -> list[list[str]]:
    """The copyright page as presses set it, in groups of lines (one paragraph each): the book and its editors;
    the publisher; the rights statement and first publication; the ISBNs and DOI; the security review's
    clearance; the printing line; the disclaimer. The PDF, EPUB and Word copies all print these."""
    title = volume.title + (f": {volume.subtitle}" if volume.subtitle else "")
    groups = [[title, "Edited by " + author_names(volume.editors)],
              [volume.publisher + (f", {volume.place}" if volume.place else "")],
              [line for line in (volume.rights, f"First published {volume.year}") if line],
              isbn_lines(volume) + ([f"DOI: https://doi.org/{volume.doi}"] if volume.doi else []),
              [volume.clearance_statement], [volume.printing_line], [volume.disclaimer]]
    return [[line.strip() for line in group if line.strip()] for group in groups if any(l.strip() for l in group)]


def copyright_blocks(volume: Volume) -> list[dict]:
    lines = [line for group in copyright_groups(volume) for line in group]
    return [A.Div([styled("Copyright", A.inlines(line), "copyright-line") for line in lines], classes=["copyright"])]


def part_blocks(part: PartModel, level: int) -> list[dict]:
    heading = A.Header(level, A.inlines(f"{part.label}: {part.title}"), classes=["part-title"])
    return [heading, *shifted(part.introduction, level + 1 - SECTION_LEVEL, minimum=level + 1)]


def text_blocks(text: TextModel, level: int, label: str = "", label_in_heading: bool = False) -> list[dict]:
    """A chapter or front-matter text: its heading, its authors, its sections one level below the heading.
    The label ("Chapter 3") is a paragraph above the heading, or part of it where a file must open with it."""
    title = A.inlines(text.title)
    if label and label_in_heading:
        title = [A.Span(A.inlines(label), classes=["chapter-number"]), {"t": "LineBreak"}, *title]
    blocks = [A.Header(level, title, classes=["chapter-title"])]
    if label and not label_in_heading:
        blocks.insert(0, styled("Chapter Number", A.inlines(label), "chapter-number"))
    if text.authors:
        blocks.append(styled("Chapter Authors", A.inlines(author_names(text.authors)), "chapter-authors"))
    return blocks + shifted(text.text.blocks, level + 1 - SECTION_LEVEL)


def contributors_blocks(people: list[Person], level: int) -> list[dict]:
    blocks = [A.Header(level, A.inlines("Contributors"), classes=["contributors-title"])]
    for person in people:
        line = [A.Strong(A.inlines(person.name))]
        if person.affiliation:
            line += [A.Str(","), {"t": "Space"}, A.Emph(A.inlines(person.affiliation))]
        blocks.append(styled("Contributor", line, "contributor"))
        if person.bio:
            blocks.append(styled("Contributor Bio", A.inlines(person.bio), "contributor-bio"))
    return blocks


def shifted(blocks: list[dict], by: int, minimum: int = 1) -> list[dict]:
    """A copy of the blocks with every heading moved ``by`` levels (kept within ``minimum``…6)."""
    if not by:
        return blocks
    moved = json.loads(json.dumps(blocks))  # far faster than copy.deepcopy on a chapter
    for header in A.elements(moved, "Header"):
        header["c"][0] = max(minimum, min(6, header["c"][0] + by))
    return moved
