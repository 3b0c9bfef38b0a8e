"""The published volume as the metadata core's records: chapters numbered and paged as in the published
galley build, their authors and abstracts from the chapters, DOIs from the call file's prefix."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from chapterhouse.chapters.models import Chapter
from chapterhouse.launch.metadata.record import (ChapterRecord, Person, Price, Subject, VolumeRecord, chapter_doi,
                                                 volume_doi)
from chapterhouse.launch.models import Publication
from chapterhouse.production.publication.settings import publication_metadata
from chapterhouse.production.volume import volume_chapters


@dataclass
class PublishedChapter:
    """A chapter as the catalogue shows it: its row and its record (number in the book, pages, DOI, URL).
    ``key`` is its DOI's number and page address, kept from the first launch whatever later builds do."""

    chapter: Chapter
    record: ChapterRecord
    key: int


def published_chapters(publication: Publication, base_url: str) -> list[PublishedChapter]:
    """In book order: the published build's chapters when there is one, else the volume's current order."""
    call = publication.call
    prefix = call.definition.publication.doi_prefix
    entries = (publication.build.summary.get("chapters", []) if publication.build else [])
    if entries:
        chapters = {c.pk: c for c in Chapter.objects.filter(call=call).select_related("theme").prefetch_related("authors")}
        order = [(e["number"], chapters.get(e.get("chapter_id")), e) for e in entries]
    else:
        order = [(n, c, {}) for n, c in enumerate(volume_chapters(call), 1)]
    keys = dict(publication.dois.values_list("chapter_id", "number")) if publication.pk else {}
    published = []
    for number, chapter, entry in order:
        if chapter is None:
            continue
        key = keys.get(chapter.pk, number)
        url = base_url + reverse("chapter_page", kwargs={"slug": call.slug, "number": key})
        record = ChapterRecord(
            number=number, title=chapter.title,
            authors=tuple(Person(a.name, a.affiliation, a.bio) for a in chapter.authors.all()),
            abstract=chapter.abstract, part=chapter.theme.name, first_page=entry.get("first_page", ""),
            last_page=entry.get("last_page", ""), doi=chapter_doi(prefix, call.slug, key), url=url)
        published.append(PublishedChapter(chapter, record, key))
    return published


@dataclass(frozen=True)
class PublicationFields:
    """The per-format identifiers, prices and subjects the metadata carries (the names the web app's
    publication settings use, so either source fills the record)."""

    isbn_print: str = ""
    isbn_pdf: str = ""
    isbn_epub: str = ""
    prices: tuple[Price, ...] = ()
    subjects: tuple[Subject, ...] = ()
    rights: str = ""
    editor_orcids: dict[str, str] = field(default_factory=dict)  # editor's name → ORCID


def _publication_fields(call) -> PublicationFields:
    """From the publication record kept in the web app (``publication_metadata``: the call file's
    ``[publication]`` values only seed it; not the clearance statement, which only the copyright page prints).
    A format priced alike in two markets of one currency is one price."""
    record = publication_metadata(call)
    prices: dict[tuple[str, str], Price] = {}
    for price in record.prices:
        prices.setdefault((price.format, price.currency), Price(price.format, price.currency, price.amount))
    return PublicationFields(
        isbn_print=record.isbn_print, isbn_pdf=record.isbn_pdf, isbn_epub=record.isbn_epub,
        prices=tuple(prices.values()),
        subjects=tuple(Subject(s.scheme, s.code, s.heading) for s in record.subjects),
        rights=record.rights,
        editor_orcids={e.name: e.orcid for e in call.definition.editors if e.orcid})


def with_open_downloads(prices: tuple[Price, ...], downloads_open: bool) -> tuple[Price, ...]:
    """A digital format with no price is free when the catalogue gives its files away."""
    if not downloads_open:
        return prices
    priced = {price.format for price in prices}
    return prices + tuple(Price(fmt, "", None) for fmt in ("pdf", "epub") if fmt not in priced)


def volume_record(publication: Publication, base_url: str,
                  chapters: list[PublishedChapter] | None = None) -> VolumeRecord:
    """The volume's record; ``chapters`` when the caller already has ``published_chapters`` (one read, not two)."""
    call = publication.call
    definition = call.definition
    settings = definition.publication
    date = publication.publication_date or timezone.localdate()
    build = publication.build
    fields = _publication_fields(call)
    return VolumeRecord(
        key=call.slug, title=definition.title, subtitle=definition.subtitle,
        editors=tuple(Person(e.name, e.organisation, orcid=fields.editor_orcids.get(e.name, ""))
                      for e in definition.editors),
        publisher=definition.publisher, published=date, place=settings.place, language=settings.language,
        isbn_print=fields.isbn_print, isbn_pdf=fields.isbn_pdf, isbn_epub=fields.isbn_epub,
        doi=volume_doi(settings.doi_prefix, call.slug), url=base_url + publication.get_absolute_url(),
        description=publication.text, rights=fields.rights,
        pages=(build.pages if build else 0) or 0,
        chapters=tuple(p.record for p in (published_chapters(publication, base_url) if chapters is None else chapters)),
        prices=with_open_downloads(fields.prices, publication.downloads_open), subjects=fields.subjects,
        state=publication.status,
    )


def site_url(request) -> str:
    """Scheme and host of the site, for the absolute addresses metadata carries."""
    return request.build_absolute_uri("/").rstrip("/")


