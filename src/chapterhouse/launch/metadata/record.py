"""What every metadata export is written from: the volume and its chapters as plain, frozen records."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."}


@dataclass(frozen=True)
class Person:
    name: str
    affiliation: str = ""
    bio: str = ""
    orcid: str = ""

    @property
    def given(self) -> str:
        return split_name(self.name)[0]

    @property
    def family(self) -> str:
        return split_name(self.name)[1]


def split_name(name: str) -> tuple[str, str]:
    """(given names, family name): "Mary Ann Smith Jr." → ("Mary Ann", "Smith Jr."), "Smith, Mary" → ("Mary", "Smith")."""
    name = " ".join(name.split())
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        if given.lower() not in SUFFIXES:
            return given, family
    words = name.split()
    suffix = []
    while len(words) > 2 and words[-1].lower().rstrip(",") in SUFFIXES:
        suffix.insert(0, words.pop())
    if len(words) == 1:
        return "", " ".join(words + suffix)
    return " ".join(words[:-1]), " ".join([words[-1], *suffix])


@dataclass(frozen=True)
class ChapterRecord:
    number: int
    title: str
    authors: tuple[Person, ...]
    abstract: str = ""
    part: str = ""
    first_page: str = ""
    last_page: str = ""
    doi: str = ""
    url: str = ""

    @property
    def pages(self) -> str:
        return f"{self.first_page}–{self.last_page}" if self.first_page and self.last_page else self.first_page


@dataclass(frozen=True)
class VolumeRecord:
    key: str  # a stable identifier for the record (the call's slug)
    title: str
    editors: tuple[Person, ...]
    publisher: str
    published: dt.date
    subtitle: str = ""
    place: str = ""
    language: str = "en-US"
    isbn: str = ""
    doi: str = ""
    url: str = ""
    description: str = ""
    series: str = ""
    rights: str = ""
    pages: int = 0
    chapters: tuple[ChapterRecord, ...] = field(default_factory=tuple)

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    @property
    def isbn13(self) -> str:
        return re.sub(r"[\s-]", "", self.isbn)

    @property
    def authors(self) -> tuple[Person, ...]:
        """Every chapter author once, in order of first appearance."""
        seen: dict[str, Person] = {}
        for chapter in self.chapters:
            for person in chapter.authors:
                seen.setdefault(person.name.casefold(), person)
        return tuple(seen.values())


def chapter_doi(prefix: str, volume_key: str, number: int) -> str:
    """A chapter's DOI under the press's prefix: ``10.5555/dscu-fms-2024.ch03``."""
    return f"{prefix}/{volume_key}.ch{number:02d}" if prefix else ""


def volume_doi(prefix: str, volume_key: str) -> str:
    return f"{prefix}/{volume_key}" if prefix else ""
