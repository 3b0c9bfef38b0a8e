"""What a publication record may hold, checked without a database: ISBNs (isbnlib: check digit, and the
hyphens of the registration group and publisher ranges), prices by format and market, and subject codes from
the shipped list (``subjects.json``). Plain Python; no Django.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import isbnlib

FORMATS = {"print": "Print", "pdf": "PDF", "epub": "EPUB"}
# (code, name, currency): ONIX territories (a country code, or WORLD for everywhere else) with their currency.
MARKETS = (("US", "United States", "USD"), ("GB", "United Kingdom", "GBP"), ("WORLD", "Rest of the world", "USD"))
FREE_WORDS = {"free", "0", "0.00", "free of charge"}
SUBJECTS_FILE = Path(__file__).with_name("subjects.json")


COPYRIGHT, PUBLIC_DOMAIN, STATEMENT = "copyright", "public_domain", "statement"
RIGHTS_BASES = {COPYRIGHT: "Copyright: © year and holder",
                PUBLIC_DOMAIN: "Public domain: a work of the U.S. Government",
                STATEMENT: "A licence or other statement, in my own words"}
PUBLIC_DOMAIN_STATEMENT = ("This is a work of the United States Government and is not subject to copyright "
                           "protection in the United States. Foreign copyrights may apply.")
PRINTING_LINE = "10 9 8 7 6 5 4 3 2 1"  # the first printing; a reprint removes the lowest number


def rights_statement(basis: str, text: str, year: int, publisher: str) -> str:
    """The copyright page's rights line: "© 2025 Holder. All rights reserved.", the public-domain statement
    of a U.S. Government work, or the editors' own words (a Creative Commons licence, say)."""
    if basis == PUBLIC_DOMAIN:
        return PUBLIC_DOMAIN_STATEMENT + (f" {text.strip()}" if text.strip() else "")
    if basis == STATEMENT:
        return text.strip()
    holder = text.strip() or publisher
    return f"© {year} {holder}. All rights reserved."


class RecordError(ValueError):
    """A value the record cannot hold; the message says why, for the field it names."""


def hyphenated_isbn(value: str) -> str:
    """The ISBN-13 with its hyphens in the right places ("978-0-16-091831-5"); an ISBN-10 is converted.
    Empty stays empty. Raises ``RecordError`` saying what is wrong."""
    raw = value.strip()
    if not raw:
        return ""
    digits = re.sub(r"[\s\-‐‑–]", "", raw).upper()
    if not re.fullmatch(r"\d{13}|\d{9}[\dX]", digits):
        raise RecordError(f"“{raw}” is not an ISBN: give 13 digits (or an old 10-digit ISBN), hyphens allowed.")
    if len(digits) == 10:
        if not isbnlib.is_isbn10(digits):
            raise RecordError(f"“{raw}” has a wrong check digit (its last digit): check the number you were given.")
        digits = isbnlib.to_isbn13(digits)
    if not digits.startswith(("978", "979")):
        raise RecordError(f"“{raw}” does not start with 978 or 979, as every ISBN-13 does.")
    if not isbnlib.is_isbn13(digits):
        raise RecordError(f"“{raw}” has a wrong check digit (its last digit): check the number you were given.")
    masked = isbnlib.mask(digits)
    if not masked:
        raise RecordError(f"“{raw}” belongs to no ISBN range the International ISBN Agency has allocated: "
                          "check the number you were given.")
    return masked


@dataclass(frozen=True)
class Price:
    """One format's price in one market; ``amount`` is None when it is free of charge."""

    format: str
    market: str
    currency: str
    amount: Decimal | None

    @property
    def free(self) -> bool:
        return self.amount is None

    def as_json(self) -> dict:
        return {"format": self.format, "market": self.market, "currency": self.currency,
                "amount": None if self.amount is None else str(self.amount)}

    @classmethod
    def from_json(cls, data: dict) -> Price:
        amount = data.get("amount")
        return cls(data["format"], data["market"], data["currency"], None if amount is None else Decimal(amount))

    def __str__(self) -> str:
        where = dict((code, name) for code, name, _ in MARKETS).get(self.market, self.market)
        what = "free of charge" if self.free else f"{self.currency} {self.amount:,.2f}"
        return f"{FORMATS.get(self.format, self.format)}, {where}: {what}"


def parse_price(text: str, format: str, market: str) -> Price | None:
    """A price typed in a form: empty (not sold there) is None, "free" (or 0) free of charge, else an amount."""
    raw = text.strip().lower().replace(",", "")
    if not raw:
        return None
    currency = dict((code, cur) for code, _, cur in MARKETS)[market]
    if raw in FREE_WORDS:
        return Price(format, market, currency, None)
    raw = raw.removeprefix("$").removeprefix("£").removeprefix(currency.lower()).strip()
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise RecordError(f"“{text.strip()}” is not a price: give an amount such as 24.95, or “free”.") from None
    if not amount.is_finite() or amount < 0 or amount >= 100000:
        raise RecordError(f"“{text.strip()}” is not a price: give an amount from 0.01 to 99,999.99, or “free”.")
    if amount != amount.quantize(Decimal("0.01")):
        raise RecordError(f"“{text.strip()}” has more than two decimal places.")
    if amount == 0:
        return Price(format, market, currency, None)
    return Price(format, market, currency, amount.quantize(Decimal("0.01")))


@dataclass(frozen=True)
class Subject:
    scheme: str  # "BISAC" or "Thema"
    code: str
    heading: str

    @property
    def key(self) -> str:
        return f"{self.scheme}:{self.code}"

    def __str__(self) -> str:
        return f"{self.scheme} {self.code} — {self.heading}"


@cache
def subjects() -> tuple[Subject, ...]:
    data = json.loads(SUBJECTS_FILE.read_text(encoding="utf-8"))
    return tuple(Subject(scheme, entry["code"], entry["heading"])
                 for scheme in ("BISAC", "Thema") for entry in data[scheme])


def subject(key: str) -> Subject:
    """The shipped subject for "BISAC:POL012000"; ``RecordError`` when the list does not hold it."""
    for item in subjects():
        if item.key == key:
            return item
    raise RecordError(f"“{key}” is not in the shipped subject list ({SUBJECTS_FILE.name}).")
