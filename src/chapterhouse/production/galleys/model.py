"""The volume as one model: the manifest's metadata plus every text as normalized pandoc blocks.

Word files arrive in many shapes: a title typed at the top, a byline, Heading 1 or Heading 2 for sections, a
"Bibliography" heading followed by plain paragraphs. Normalizing them once here means the PDF, EPUB and DOCX
writers all see the same structure: the chapter title and authors come from the manifest, sections start at
level 3 (parts are 1, chapters 2), and a bibliography is a Div marked ``bibliography``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import pandoc_ast as A
from .manifest import Person, Volume

SECTION_LEVEL = 3
BIBLIOGRAPHY_HEADINGS = {
    "bibliography", "select bibliography", "selected bibliography", "references", "works cited", "sources",
    "sources cited", "works consulted", "references cited",
}
TYPESETTABLE_IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
BYLINE_FILLER = {"by", "and", "with", "edited", "ed", "phd", "dr", "prof", "professor"}


@dataclass
class ConvertedText:
    blocks: list[dict]
    words: int
    notes: int
    key: str = ""  # what the blocks were made from (source bytes, title, authors, this code): a cache key


@dataclass
class TextModel:
    """One chapter or front-matter text and where it came from."""

    location: str  # the manifest field, e.g. "parts[1].chapters[0]"
    source: Path
    sha256: str
    title: str
    authors: list[Person]
    text: ConvertedText
    number: int = 0  # chapter number in the volume; 0 for front matter
    running_title: str = ""


@dataclass
class PartModel:
    number: int
    title: str
    introduction: list[dict]
    introduction_key: str = ""
    chapters: list[TextModel] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Part {roman(self.number).upper()}"


@dataclass
class VolumeModel:
    volume: Volume
    front: list[TextModel]
    parts: list[PartModel]
    api_version: list[int]
    cover: Path | None = None  # the front cover image, resolved

    @property
    def cover_description(self) -> str:
        return self.volume.cover_description.strip() or f"Cover of {self.volume.title}"

    @property
    def chapters(self) -> list[TextModel]:
        return [chapter for part in self.parts for chapter in part.chapters]

    def texts(self) -> list[TextModel]:
        return self.front + self.chapters

    def contributors(self) -> list[Person]:
        """Editors and authors once each, alphabetically by surname (the fullest entry of a name wins)."""
        people: dict[str, Person] = {}
        for person in [*self.volume.editors, *(a for text in self.texts() for a in text.authors)]:
            key = A.comparable(person.name)
            known = people.get(key)
            if known is None or len(person.bio) + len(person.affiliation) > len(known.bio) + len(known.affiliation):
                people[key] = person
        return sorted(people.values(), key=lambda p: (A.comparable(surname(p.name)), A.comparable(p.name)))


def surname(name: str) -> str:
    words = [w for w in name.replace(",", " ").split() if w.rstrip(".").lower() not in {"jr", "sr", "ii", "iii", "phd"}]
    return words[-1] if words else name


def roman(number: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
                (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out


# -- normalizing a converted Word or Markdown text --------------------------------------------------------

def normalize_text(document: dict, title: str, authors: list[Person]) -> tuple[ConvertedText, list[str]]:
    """The text's blocks ready for every writer, and problems that stop typesetting (unusable pictures)."""
    blocks = [b for b in document.get("blocks", []) if not _empty_paragraph(b)]
    blocks = _without_title_and_byline(blocks, title, authors)
    found = A.elements_of(blocks, ("Header", "Note", "Image"))
    _sections_from_level(blocks, found["Header"], SECTION_LEVEL)
    blocks = _bibliography_marked(blocks)
    for header in found["Header"]:
        header["c"][1][0] = ""  # identifiers from Word bookmarks collide between chapters
    problems = [f"picture {image['c'][2][0]!r} is in a format that cannot be typeset; insert it as PNG or JPEG"
                for image in found["Image"] if not image["c"][2][0].lower().endswith(TYPESETTABLE_IMAGES)]
    alt = image_alt_text(blocks)
    problems += [f"picture {image['c'][2][0]!r} has no text alternative and no caption; add Alt Text in Word "
                 f"(right-click the picture → View Alt Text) so readers of the accessible PDF and EPUB are told "
                 f"what it shows" for image in found["Image"] if not alt.get(id(image), "").strip()]
    return ConvertedText(blocks, A.word_count(blocks), len(found["Note"])), problems


def image_alt_text(blocks: list[dict]) -> dict[int, str]:
    """id() of each picture → its text alternative: Word's Alt Text, else the caption of its figure."""
    found: dict[int, str] = {}
    for figure in A.elements(blocks, "Figure"):
        caption = A.stringify(figure["c"][1][1], notes=False)
        for image in A.elements(figure["c"][2], "Image"):
            found[id(image)] = caption
    for image in A.elements(blocks, "Image"):
        own = A.stringify(image["c"][1], notes=False)
        found[id(image)] = own or found.get(id(image), "")
    return found


def _empty_paragraph(block: dict) -> bool:
    return block.get("t") in ("Para", "Plain") and not A.stringify(block) and not A.elements_of(block, ("Image",))["Image"]


def _without_title_and_byline(blocks: list[dict], title: str, authors: list[Person]) -> list[dict]:
    """Drops a title typed at the top (the opener sets the manifest's title) and a byline under it."""
    if not blocks:
        return blocks
    wanted = A.comparable(title)
    first = A.comparable(A.stringify(blocks[0], notes=False))
    is_title = bool(wanted) and (first == wanted or (first.startswith(wanted) and blocks[0]["t"] == "Header")
                                 or (wanted.startswith(first) and len(first) > 0.6 * len(wanted)))
    # Word's Title style becomes metadata, so a byline may come first; it goes either way.
    rest = blocks[1:] if blocks[0]["t"] in ("Header", "Para", "Plain") and is_title else blocks
    while rest and rest[0]["t"] in ("Para", "Plain") and _is_byline(A.stringify(rest[0], notes=False), authors):
        rest = rest[1:]
    return rest


def _is_byline(text: str, authors: list[Person]) -> bool:
    if not text or len(text) > 300:
        return False
    remaining = f" {A.comparable(text)} "
    mentioned = False
    for person in authors:
        for known in (person.name, person.affiliation):
            phrase = A.comparable(known)
            if phrase and f" {phrase} " in remaining:
                remaining = remaining.replace(f" {phrase} ", " ")
                mentioned = True
    leftover = [w for w in remaining.split() if w not in BYLINE_FILLER]
    return mentioned and len(leftover) <= 3


def _sections_from_level(blocks: list[dict], headers: list[dict], top: int) -> None:
    """Shifts headings so the text's highest heading sits at ``top`` (Word authors use Heading 1 or 2 for it)."""
    levels = [b["c"][0] for b in blocks if b["t"] == "Header"]
    if not levels:
        return
    shift = top - min(levels)
    for header in headers:
        header["c"][0] = max(top, min(6, header["c"][0] + shift))


def _bibliography_marked(blocks: list[dict]) -> list[dict]:
    out: list[dict] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        out.append(block)
        index += 1
        if block["t"] == "Header" and A.comparable(A.stringify(block, notes=False)) in BIBLIOGRAPHY_HEADINGS:
            level = block["c"][0]
            block["c"][1][1] = [*block["c"][1][1], "bibliography"]
            end = index
            while end < len(blocks) and not (blocks[end]["t"] == "Header" and blocks[end]["c"][0] <= level):
                end += 1
            if end > index:
                out.append(A.Div(blocks[index:end], classes=["bibliography"]))
            index = end
    return out


def plain_introduction(document: dict) -> list[dict]:
    return [b for b in document.get("blocks", []) if not _empty_paragraph(b)]
