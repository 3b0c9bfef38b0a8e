"""The volume manifest: one TOML file naming the volume's metadata, its front matter, parts and chapters.

Editors write it by hand (or start from ``chapterhouse galley manifest --call …``), so every problem is named by
its field path, e.g. ``parts[1].chapters[0].file: must end in .docx``. File paths are relative to the manifest.
Plain Python; no Django.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from chapterhouse.tomlschema import SchemaFileError, StrictModel, load_toml, parse_toml

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
CHAPTER_SUFFIXES = (".docx",)
TEXT_SUFFIXES = (".docx", ".md", ".markdown")
COVER_SUFFIXES = (".png", ".jpg", ".jpeg")


class ManifestError(SchemaFileError):
    """A manifest that cannot be used, with every problem found."""


class Person(StrictModel):
    name: Text
    affiliation: str = ""
    bio: str = ""


def _file_with_suffix(value: str, suffixes: tuple[str, ...]) -> str:
    if not value.lower().endswith(suffixes):
        raise PydanticCustomError("suffix", "must end in {suffixes}", {"suffixes": " or ".join(suffixes)})
    return value


class Volume(StrictModel):
    title: Text
    subtitle: str = ""
    editors: Annotated[list[Person], Field(min_length=1)]
    publisher: Text
    place: str = ""
    year: Annotated[int, Field(ge=1450, le=2200)]
    isbn: str = ""  # the print edition's ISBN (the cover's barcode)
    isbn_pdf: str = ""
    isbn_epub: str = ""
    doi: str = ""  # the volume's DOI, e.g. "10.5555/dscu-fms-2024"
    short_title: str = ""  # the volume's title where a long one does not fit
    series: str = ""
    disclaimer: Text
    rights: str = ""  # the © line, or the public-domain or licence statement, as the copyright page prints it
    # "Cleared for public release by <office> (case number …, <date>)": the security review's answer
    clearance_statement: str = ""
    printing_line: str = ""  # "10 9 8 7 6 5 4 3 2 1": the lowest number is the printing
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en-US"
    # Chicago places a multi-author book's list of contributors in the back matter; some presses put it in front.
    contributors: Literal["front", "back"] = "back"
    # The front cover image (PNG or JPEG), relative to the manifest: the PDF's first page and the EPUB's cover.
    cover: str = ""
    cover_description: str = ""  # the cover's text alternative; "Cover of <title>" when empty

    @field_validator("cover")
    @classmethod
    def _cover_image(cls, value: str) -> str:
        return _file_with_suffix(value, COVER_SUFFIXES) if value else value

    @field_validator("isbn", "isbn_pdf", "isbn_epub")
    @classmethod
    def _isbn_checksum(cls, value: str) -> str:
        if value and not isbn_is_valid(value):
            raise PydanticCustomError("isbn", "{value!r} is not a valid ISBN-10 or ISBN-13 (check digit)", {"value": value})
        return value


class FrontMatter(StrictModel):
    """A foreword, preface, introduction or acknowledgments, from a .docx or Markdown file."""

    title: Text
    file: Text
    authors: list[Person] = []

    @field_validator("file")
    @classmethod
    def _text_file(cls, value: str) -> str:
        return _file_with_suffix(value, TEXT_SUFFIXES)


class Chapter(StrictModel):
    file: Text
    title: Text
    short_title: str = ""  # the recto running head when the title is too long for it
    authors: Annotated[list[Person], Field(min_length=1)]

    @field_validator("file")
    @classmethod
    def _word_file(cls, value: str) -> str:
        return _file_with_suffix(value, CHAPTER_SUFFIXES)

    @property
    def running_title(self) -> str:
        return self.short_title.strip() or self.title


class Part(StrictModel):
    title: Text
    introduction: str = ""  # Markdown
    chapters: Annotated[list[Chapter], Field(min_length=1)]


class Manifest(StrictModel):
    schema_version: Literal[1] = Field(1, alias="schema")
    volume: Volume
    front_matter: list[FrontMatter] = []
    parts: Annotated[list[Part], Field(min_length=1)]


@dataclass(frozen=True)
class LoadedManifest:
    """The manifest with the folder its file paths are relative to."""

    manifest: Manifest
    path: Path

    @property
    def folder(self) -> Path:
        return self.path.parent

    def resolve(self, relative: str) -> Path:
        return (self.folder / relative).resolve()


def load_manifest(path: str | Path) -> LoadedManifest:
    path = Path(path)
    return LoadedManifest(load_toml(Manifest, path, error=ManifestError), path.resolve())


def parse_manifest(text: str, folder: str | Path, source: str = "<manifest>") -> LoadedManifest:
    return LoadedManifest(parse_toml(Manifest, text, source, error=ManifestError), Path(folder).resolve() / "manifest.toml")


def isbn_is_valid(isbn: str) -> bool:
    digits = re.sub(r"[\s-]", "", isbn).upper()
    if re.fullmatch(r"\d{13}", digits):
        return sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits)) % 10 == 0
    if re.fullmatch(r"\d{9}[\dX]", digits):
        return sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits)) % 11 == 0
    return False


# -- a starting manifest from a call file ----------------------------------------------------------------

def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are a subset TOML accepts."""
    return json.dumps(text, ensure_ascii=False)


def manifest_from_call(call, year: int) -> str:
    """A starting manifest: the call's title, editors and publisher, one part per theme, chapters to fill in."""
    lines = [
        f"# Volume manifest for “{call.title}”, started from the call file. Paths are relative to this file.",
        "# Add each part's chapters, then: chapterhouse galley build THIS-FILE --out galleys/",
        "schema = 1",
        "",
        "[volume]",
        f"title = {toml_string(call.title)}",
        f"subtitle = {toml_string(call.subtitle)}",
        f"publisher = {toml_string(call.publisher)}",
        'place = ""  # city of publication, e.g. "Washington, DC"',
        f"year = {year}",
        'isbn = ""  # ISBN-13 once assigned',
        'series = ""',
        f"disclaimer = {toml_string(default_disclaimer(call.publisher))}",
        'rights = ""  # e.g. a copyright or public-domain statement',
        'contributors = "back"  # where the list of contributors goes: "front" or "back" (Chicago: back)',
    ]
    for editor in call.editors:
        lines += ["", "[[volume.editors]]", f"name = {toml_string(editor.name)}",
                  f"affiliation = {toml_string(editor.organisation)}", 'bio = ""']
    lines += ["", "# [[front_matter]]            # a foreword, preface or acknowledgments, in order",
              '# title = "Foreword"', '# file = "front/foreword.docx"   # .docx or .md']
    for index, theme in enumerate(call.themes):
        quota = f"{theme.min_chapters}–{theme.max_chapters}"
        lines += [
            "",
            "[[parts]]",
            f"title = {toml_string(theme.name)}",
            'introduction = ""  # for readers (Markdown); the call\'s theme text was written for proposers',
            f"# {quota} chapters for this theme; copy this block once per chapter and remove the #s:",
            "# [[parts.chapters]]",
            f'# file = "chapters/{theme.slug}-1.docx"',
            '# title = "Chapter title"',
            '# short_title = ""   # running head if the title is long',
            "# [[parts.chapters.authors]]",
            '# name = "Author Name"',
            '# affiliation = "Institution"',
            '# bio = "One or two sentences."',
        ]
    return "\n".join(lines) + "\n"


LEAD_IN_END = re.compile(r"[:：]\s*$")


def part_introduction(introduction: str, questions: list[str] | tuple[str, ...]) -> str:
    """A part's introduction (Markdown) from a theme: the call's text with its guiding questions as a list.

    A call's theme text ends with a lead-in ("…one or more of the following questions:") whose questions are
    kept apart; copying the text alone leaves the lead-in hanging. With no questions the lead-in sentence goes.
    """
    text = introduction.strip()
    if not LEAD_IN_END.search(text):
        return text
    if questions:
        return text + "\n\n" + "\n".join(f"- {q.strip()}" for q in questions if q.strip())
    return without_lead_in(text)


def without_lead_in(text: str) -> str:
    """The text without a last sentence that ends in a colon and introduces nothing."""
    body = text.rstrip()
    if not LEAD_IN_END.search(body):
        return body
    cut = max(body.rfind(". ", 0, len(body) - 1), body.rfind(".\n", 0, len(body) - 1),
              body.rfind("\n\n", 0, len(body) - 1))
    return body[:cut + 1].rstrip() if cut >= 0 else ""


def default_disclaimer(publisher: str) -> str:
    return (f"The views expressed in this volume are those of the authors and do not necessarily reflect the "
            f"official policy or position of {publisher} or of any other organization named in it.")
