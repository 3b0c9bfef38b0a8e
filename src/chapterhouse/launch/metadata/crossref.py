"""A Crossref deposit (schema 5.3.1) for an edited book with each chapter as a ``content_item`` with its DOI.

Crossref's schema imports JATS, MathML and several registries' schemas that are not shipped with any package
here, so the deposit is checked by structural tests rather than the XSD; element order follows the schema.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from lxml import etree

from .record import ChapterRecord, Person, VolumeRecord

VERSION = "5.3.1"
NAMESPACE = f"http://www.crossref.org/schema/{VERSION}"
JATS = "http://www.ncbi.nlm.nih.gov/JATS1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NAMESPACE} https://www.crossref.org/schemas/crossref{VERSION}.xsd"
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Za-z0-9]+$")
ISBN_MEDIA = (("print", "print"), ("pdf", "electronic"), ("epub", "electronic"))  # format → isbn media_type


@dataclass(frozen=True)
class WithdrawnChapter:
    """A chapter DOI once registered whose chapter left the book. A DOI cannot be deleted, so the deposit keeps
    it and updates its record, as Crossref asks for withdrawn content: the title says it was withdrawn, the
    abstract carries the notice, and the DOI resolves to the notice page (``url``)."""

    doi: str
    title: str
    url: str
    notice: str
    withdrawn_on: dt.date

    @property
    def marked_title(self) -> str:
        return f"WITHDRAWN: {self.title}"

    @property
    def statement(self) -> str:
        return f"This chapter was withdrawn from the book on {self.withdrawn_on.isoformat()}. {self.notice}".strip()


class DepositError(ValueError):
    """What keeps a deposit from being made, one problem per line."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _add(parent, tag: str, text: str | None = None, namespace: str = NAMESPACE, **attributes):
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}", **attributes)
    if text is not None:
        element.text = str(text)
    return element


def deposit_problems(volume: VolumeRecord) -> list[str]:
    problems = []
    for what, doi in [("the volume", volume.doi), *((f"chapter {c.number}", c.doi) for c in volume.chapters)]:
        if not doi:
            problems.append(f"{what} has no DOI: set publication.doi_prefix in the call file")
        elif not DOI_PATTERN.match(doi):
            problems.append(f"{what}: {doi!r} is not a DOI (10.NNNN/suffix)")
    if not volume.url:
        problems.append("the volume has no landing page address (resource) for its DOI")
    return problems


def crossref_deposit(volume: VolumeRecord, depositor: str, email: str, batch_id: str,
                     timestamp: dt.datetime | None = None, withdrawn: tuple[WithdrawnChapter, ...] = ()) -> bytes:
    """The deposit of the volume and its chapters, plus an update of each ``withdrawn`` chapter's DOI."""
    problems = deposit_problems(volume)
    problems += [f"withdrawn chapter “{w.title}”: {w.doi!r} is not a DOI" for w in withdrawn
                 if not DOI_PATTERN.match(w.doi or "")]
    if not depositor or not email:
        problems.append("a Crossref deposit names a depositor and e-mail: set publication.depositor_* in the call file")
    if problems:
        raise DepositError(problems)
    timestamp = timestamp or dt.datetime.now(dt.timezone.utc)
    root = etree.Element(f"{{{NAMESPACE}}}doi_batch", nsmap={None: NAMESPACE, "jats": JATS, "xsi": XSI},
                         version=VERSION)
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    head = _add(root, "head")
    _add(head, "doi_batch_id", batch_id)
    _add(head, "timestamp", timestamp.strftime("%Y%m%d%H%M%S"))
    depositor_element = _add(head, "depositor")
    _add(depositor_element, "depositor_name", depositor)
    _add(depositor_element, "email_address", email)
    _add(head, "registrant", volume.publisher)
    book = _add(_add(root, "body"), "book", book_type="edited_book")
    metadata = _add(book, "book_metadata", language=volume.language.split("-")[0])
    _contributors(metadata, volume.editors, "editor")
    _titles(metadata, volume.title, volume.subtitle)
    if volume.description:
        _abstract(metadata, volume.description)
    _date(metadata, volume.published)
    isbns = [(media, volume.format_isbn(fmt)) for fmt, media in ISBN_MEDIA if volume.format_isbn(fmt)]
    for media, isbn in isbns:
        _add(metadata, "isbn", isbn, media_type=media)
    if not isbns:
        _add(metadata, "noisbn", reason="monograph")
    publisher = _add(metadata, "publisher")
    _add(publisher, "publisher_name", volume.publisher)
    if volume.place:
        _add(publisher, "publisher_place", volume.place)
    _doi_data(metadata, volume.doi, volume.url)
    for chapter in volume.chapters:
        _content_item(book, chapter, volume.published)
    for chapter in withdrawn:
        _withdrawn_item(book, chapter, volume.published)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _contributors(parent, people: tuple[Person, ...], role: str) -> None:
    if not people:
        return
    contributors = _add(parent, "contributors")
    for index, person in enumerate(people):
        name = _add(contributors, "person_name", sequence="first" if index == 0 else "additional",
                    contributor_role=role)
        if person.given:
            _add(name, "given_name", person.given)
        _add(name, "surname", person.family)
        if person.affiliation:
            _add(_add(_add(name, "affiliations"), "institution"), "institution_name", person.affiliation)
        if person.orcid:
            _add(name, "ORCID", f"https://orcid.org/{person.orcid}")


def _titles(parent, title: str, subtitle: str = "") -> None:
    titles = _add(parent, "titles")
    _add(titles, "title", title)
    if subtitle:
        _add(titles, "subtitle", subtitle)


def _abstract(parent, text: str) -> None:
    abstract = _add(parent, "abstract", namespace=JATS)
    for paragraph in [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]:
        _add(abstract, "p", paragraph, namespace=JATS)


def _date(parent, day: dt.date) -> None:
    date = _add(parent, "publication_date", media_type="online")
    _add(date, "month", f"{day.month:02d}")
    _add(date, "day", f"{day.day:02d}")
    _add(date, "year", str(day.year))


def _doi_data(parent, doi: str, url: str) -> None:
    data = _add(parent, "doi_data")
    _add(data, "doi", doi)
    _add(data, "resource", url)


def _content_item(book, chapter: ChapterRecord, published: dt.date) -> None:
    item = _add(book, "content_item", component_type="chapter")
    _contributors(item, chapter.authors, "author")
    _titles(item, chapter.title)
    _add(item, "component_number", str(chapter.number))
    if chapter.abstract:
        _abstract(item, chapter.abstract)
    _date(item, published)
    if chapter.first_page:
        pages = _add(item, "pages")
        _add(pages, "first_page", chapter.first_page)
        if chapter.last_page:
            _add(pages, "last_page", chapter.last_page)
    _doi_data(item, chapter.doi, chapter.url)


def _withdrawn_item(book, chapter: WithdrawnChapter, published: dt.date) -> None:
    """The withdrawn chapter's record: no authors or pages any more, the title marked, the notice as abstract."""
    item = _add(book, "content_item", component_type="chapter")
    _titles(item, chapter.marked_title)
    _abstract(item, chapter.statement)
    _date(item, published)
    _doi_data(item, chapter.doi, chapter.url)
