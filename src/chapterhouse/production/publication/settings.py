"""The one accessor the rest of the project reads the publication record through: ``publication_settings``.

Galleys (copyright page, running heads, part openers), metadata exports (ONIX prices and subjects, the EPUB's
identifier) and the cover's barcode all read this; none of them reads the call file's ``[publication]`` values
for these fields, which only seed the record before it is first saved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chapterhouse.call.models import Call
from chapterhouse.launch.metadata.record import volume_doi as doi_of
from chapterhouse.production.galleys.manifest import default_disclaimer
from chapterhouse.production.publication.catalog import (COPYRIGHT, MARKETS, PRINTING_LINE, STATEMENT, Price,
                                                         RecordError, Subject, hyphenated_isbn, rights_statement,
                                                         subject)
from chapterhouse.production.volume import publication_year


@dataclass
class PublicationSettings:
    isbn_print: str = ""  # hyphenated ISBN-13s, "" when not assigned
    isbn_pdf: str = ""
    isbn_epub: str = ""
    prices: list[Price] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    rights: str = ""  # the whole statement the copyright page prints
    disclaimer: str = ""
    short_title: str = ""
    chapter_short_titles: dict[int, str] = field(default_factory=dict)
    part_introductions: dict[str, str] = field(default_factory=dict)  # theme slug → Markdown
    doi: str = ""
    clearance_statement: str = ""
    printing_line: str = PRINTING_LINE
    rights_basis: str = COPYRIGHT

    @property
    def isbns(self) -> list[tuple[str, str]]:
        """(format label, ISBN) for each assigned ISBN, print first: the copyright page's lines."""
        return [(label, isbn) for label, isbn in (("print", self.isbn_print), ("PDF", self.isbn_pdf),
                                                  ("EPUB", self.isbn_epub)) if isbn]


def _seeded_isbn(value: str) -> str:
    try:
        return hyphenated_isbn(value)
    except RecordError:
        return value.strip()  # the call file's own value; the record's page will ask for a valid one


def default_disclaimer_for(call: Call) -> str:
    definition = call.definition
    return definition.publication.disclaimer or default_disclaimer(definition.publisher)


def publication_settings(call: Call) -> PublicationSettings:
    """The whole record: what ``publication_metadata`` gives, plus the volume DOI and the clearance statement the
    copyright page prints (the latter one more query, for the latest cleared clearance request)."""
    found = publication_metadata(call)
    found.doi, found.clearance_statement = volume_doi(call), clearance_statement(call)
    return found


def publication_metadata(call: Call) -> PublicationSettings:
    """The record without the volume DOI and clearance statement: what the catalogue, its API and the metadata
    exports show (identifiers, prices, subjects, rights, disclaimer, short titles). One query."""
    from chapterhouse.production.publication.models import PublicationRecord

    definition = call.definition
    toml = definition.publication
    record = PublicationRecord.objects.filter(call=call).first()
    found = PublicationSettings()
    year = publication_year(call)
    if record is None:
        basis = STATEMENT if toml.rights.strip() else COPYRIGHT
        found.isbn_print = _seeded_isbn(toml.isbn)
        found.isbn_pdf, found.isbn_epub = _seeded_isbn(toml.isbn_pdf), _seeded_isbn(toml.isbn_epub)
        found.prices = [_seeded_price(price) for price in toml.prices]
        found.subjects = [Subject(item.scheme, item.code, item.heading) for item in toml.subjects]
        found.rights_basis = basis
        found.rights = rights_statement(basis, toml.rights, year, definition.publisher)
        found.disclaimer = default_disclaimer_for(call)
        return found
    found.isbn_print, found.isbn_pdf, found.isbn_epub = record.isbn_print, record.isbn_pdf, record.isbn_epub
    found.prices = [Price.from_json(item) for item in record.prices]
    found.subjects = [item for item in (_known_subject(key) for key in record.subjects) if item is not None]
    found.rights_basis = record.rights_basis
    found.rights = rights_statement(record.rights_basis, record.rights, year, definition.publisher)
    found.disclaimer = record.disclaimer.strip() or default_disclaimer_for(call)
    found.short_title = record.short_title.strip()
    found.chapter_short_titles = {int(pk): text.strip() for pk, text in record.chapter_short_titles.items()
                                  if text.strip()}
    found.part_introductions = {slug: text.strip() for slug, text in record.part_introductions.items()
                                if text.strip()}
    return found


def _seeded_price(price) -> Price:
    """A call file's price names a currency, not a market: the market that trades in it (else the rest of the world)."""
    market = {currency: code for code, _, currency in reversed(MARKETS)}.get(price.currency, "WORLD")
    return Price(price.format, market, price.currency, price.amount)


def _known_subject(key: str) -> Subject | None:
    try:
        return subject(key)
    except RecordError:
        return None  # a code since removed from the shipped list is not exported


def volume_doi(call: Call) -> str:
    return doi_of(call.definition.publication.doi_prefix, call.slug)


def clearance_statement(call: Call) -> str:
    """"Cleared for public release by <office> (case number …, <date>)" from the latest request the office
    cleared; "" while none is."""
    from chapterhouse.clearance.models import ClearanceRequest
    from chapterhouse.clearance.states import CLEARED_STATES

    cleared = (ClearanceRequest.objects.filter(call=call, status__in=CLEARED_STATES)
               .order_by("-cleared_on", "-status_changed_at", "-pk").first())
    if cleared is None:
        return ""
    details = []
    if cleared.office_reference.strip():
        details.append(f"case number {cleared.office_reference.strip()}")
    day = cleared.cleared_on or (cleared.status_changed_at.date() if cleared.status_changed_at else None)
    if day is not None:
        details.append(f"{day:%B} {day.day}, {day.year}")
    office = call.definition.clearance.office
    return f"Cleared for public release by {office}" + (f" ({', '.join(details)})" if details else "") + "."


def copyright_page(call: Call) -> list[list[str]]:
    """The copyright page's lines as the next build sets them (``galleys.compose.copyright_groups``), for the
    record's page to show before anyone builds."""
    from chapterhouse.production.galleys.compose import copyright_groups
    from chapterhouse.production.galleys.manifest import Person, Volume

    definition, record = call.definition, publication_settings(call)
    volume = Volume(title=definition.title, subtitle=definition.subtitle,
                    editors=[Person(name=e.name) for e in definition.editors], publisher=definition.publisher,
                    place=definition.publication.place, year=publication_year(call), isbn=record.isbn_print,
                    isbn_pdf=record.isbn_pdf, isbn_epub=record.isbn_epub, doi=record.doi,
                    disclaimer=record.disclaimer, rights=record.rights,
                    clearance_statement=record.clearance_statement, printing_line=record.printing_line)
    return copyright_groups(volume)
