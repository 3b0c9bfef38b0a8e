"""What every metadata export is written from: the volume and its chapters as plain, frozen records."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

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


FORMATS = ("print", "pdf", "epub")  # the book's products, one ISBN each


class Price(NamedTuple):
    """What a format costs in a currency (ISO 4217); ``amount`` None: free of charge."""

    format: str  # one of FORMATS
    currency: str
    amount: Decimal | None


class Subject(NamedTuple):
    scheme: str  # "BISAC" or "Thema"
    code: str
    heading: str = ""


def isbn13(isbn: str) -> str:
    """The ISBN as its digits (ONIX and Crossref carry it without hyphens)."""
    return re.sub(r"[\s-]", "", isbn)


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
    isbn_print: str = ""
    isbn_pdf: str = ""
    isbn_epub: str = ""
    doi: str = ""
    url: str = ""
    description: str = ""
    series: str = ""
    rights: str = ""
    pages: int = 0
    chapters: tuple[ChapterRecord, ...] = field(default_factory=tuple)
    prices: tuple[Price, ...] = ()
    subjects: tuple[Subject, ...] = ()
    state: str = "preparing"  # the publication's workflow state: "preparing", "launched" or "withdrawn"

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    @property
    def isbn(self) -> str:
        """The ISBN a citation names: the print edition's, else the first digital one known."""
        return self.isbn_print or self.isbn_pdf or self.isbn_epub

    @property
    def isbn13(self) -> str:
        return isbn13(self.isbn)

    def format_isbn(self, fmt: str) -> str:
        """The ISBN-13 digits of one format (``print``, ``pdf`` or ``epub``), "" when none is assigned."""
        return isbn13(getattr(self, f"isbn_{fmt}"))

    def format_prices(self, fmt: str) -> tuple[Price, ...]:
        return tuple(price for price in self.prices if price.format == fmt)

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
