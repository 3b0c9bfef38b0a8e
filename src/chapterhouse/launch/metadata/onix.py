"""ONIX for Books 3.0 (reference tags): one product per format (print, PDF, EPUB), each with its own ISBN, form,
price and supply, and the volume's chapters as content items; the formats name each other as alternatives.

Code lists used (EDItEUR ONIX codelists): ProductIDType 15 ISBN-13, 01 proprietary; ProductForm BC paperback,
ED digital download, ProductFormDetail B102 trade paperback (US), E101 EPUB, E107 PDF; TitleType 01; ContributorRole
B01 editor, A01 author; NameIDType 21 ORCID; SubjectSchemeIdentifier 10 BISAC, 93 Thema subject, 94–99 Thema
qualifiers; TextType 03 description, 30 abstract; PublishingRole 01; PublishingDateRole 01; PublishingStatus
02 forthcoming, 04 active, 11 withdrawn from sale; ProductAvailability 10 not yet available, 20 available, 46
withdrawn from sale; PriceType 01 RRP excluding tax; UnpricedItemType 01 free of charge, 02 price to be announced;
WorkIDType 06 DOI with WorkRelationCode 01 (manifestation of); ProductRelationCode 06 alternative format;
ExtentType 00 main content pages, ExtentUnit 03 pages; ContentItem TextItemType 03 body matter.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from .record import FORMATS, ChapterRecord, Person, Price, Subject, VolumeRecord

NAMESPACE = "http://ns.editeur.org/onix/3.0/reference"
LANGUAGES = {"en": "eng", "fr": "fre", "de": "ger", "es": "spa", "it": "ita", "pt": "por", "ar": "ara", "ru": "rus",
             "zh": "chi", "ja": "jpn", "ko": "kor", "nl": "dut", "pl": "pol", "uk": "ukr"}
# ProductForm and ProductFormDetail of each format.
FORMS = {"print": ("BC", "B102"), "pdf": ("ED", "E107"), "epub": ("ED", "E101")}
# The publication's workflow state → PublishingStatus, ProductAvailability.
STATUS = {"preparing": ("02", "10"), "launched": ("04", "20"), "withdrawn": ("11", "46")}
SUBJECT_SCHEMES = {"BISAC": "10", "Thema": "93"}
# A Thema qualifier's first digit names its kind: place, language, time, purpose, age, style (schemes 94–99).
THEMA_QUALIFIERS = {"1": "94", "2": "95", "3": "96", "4": "97", "5": "98", "6": "99"}


def onix_language(tag: str) -> str:
    """ISO 639-2/B from a BCP 47 tag (ONIX's LanguageCode list 74)."""
    return LANGUAGES.get(tag.split("-")[0].lower(), tag.split("-")[0].lower()[:3])


def _add(parent: etree._Element, tag: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", **attributes)
    if text is not None:
        element.text = str(text)
    return element


def product_formats(volume: VolumeRecord) -> tuple[str, ...]:
    """The formats the volume is sold or given in: PDF and EPUB always, print when it has a print ISBN."""
    return tuple(fmt for fmt in FORMATS if fmt != "print" or volume.isbn_print)


def onix_message(volume: VolumeRecord, sent: dt.datetime | None = None) -> bytes:
    sent = sent or dt.datetime.now(dt.timezone.utc)
    root = etree.Element(f"{{{NAMESPACE}}}ONIXMessage", nsmap={None: NAMESPACE}, release="3.0")
    header = _add(root, "Header")
    _add(_add(header, "Sender"), "SenderName", volume.publisher)
    _add(header, "SentDateTime", sent.strftime("%Y%m%dT%H%M%z"))
    formats = product_formats(volume)
    for fmt in formats:
        _product(root, volume, fmt, [other for other in formats if other != fmt])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _product(root: etree._Element, volume: VolumeRecord, fmt: str, others: list[str]) -> None:
    product = _add(root, "Product")
    _add(product, "RecordReference", record_reference(volume, fmt))
    _add(product, "NotificationType", "03")
    _product_identifier(product, volume, fmt)
    _descriptive_detail(_add(product, "DescriptiveDetail"), volume, fmt)
    if volume.description:
        _text_content(_add(product, "CollateralDetail"), "03", volume.description)
    content = _add(product, "ContentDetail")
    for chapter in volume.chapters:
        _content_item(content, chapter)
    _publishing_detail(_add(product, "PublishingDetail"), volume)
    if volume.doi or others:
        related = _add(product, "RelatedMaterial")
        if volume.doi:
            work = _add(related, "RelatedWork")
            _add(work, "WorkRelationCode", "01")
            identifier = _add(work, "WorkIdentifier")
            _add(identifier, "WorkIDType", "06")
            _add(identifier, "IDValue", volume.doi)
        for other in others:
            alternative = _add(related, "RelatedProduct")
            _add(alternative, "ProductRelationCode", "06")
            _product_identifier(alternative, volume, other)
    _product_supply(_add(product, "ProductSupply"), volume, fmt)


def record_reference(volume: VolumeRecord, fmt: str) -> str:
    return f"chapterhouse.{volume.key}.{fmt}"


def _product_identifier(parent: etree._Element, volume: VolumeRecord, fmt: str) -> None:
    identifier = _add(parent, "ProductIdentifier")
    if volume.format_isbn(fmt):
        _add(identifier, "ProductIDType", "15")
        _add(identifier, "IDValue", volume.format_isbn(fmt))
    else:
        _add(identifier, "ProductIDType", "01")
        _add(identifier, "IDTypeName", "chapterhouse")
        _add(identifier, "IDValue", f"{volume.key}.{fmt}")


def _descriptive_detail(detail: etree._Element, volume: VolumeRecord, fmt: str) -> None:
    form, form_detail = FORMS[fmt]
    _add(detail, "ProductComposition", "00")
    _add(detail, "ProductForm", form)
    _add(detail, "ProductFormDetail", form_detail)
    _add(detail, "PrimaryContentType", "10")  # text (eye-readable)
    if volume.series:
        collection = _add(detail, "Collection")
        _add(collection, "CollectionType", "10")
        _title_detail(collection, volume.series, "")
    _title_detail(detail, volume.title, volume.subtitle)
    for number, editor in enumerate(volume.editors, 1):
        _contributor(detail, number, "B01", editor)
    language = _add(detail, "Language")
    _add(language, "LanguageRole", "01")
    _add(language, "LanguageCode", onix_language(volume.language))
    if volume.pages:
        extent = _add(detail, "Extent")
        _add(extent, "ExtentType", "00")
        _add(extent, "ExtentValue", str(volume.pages))
        _add(extent, "ExtentUnit", "03")
    for index, subject in enumerate(volume.subjects):
        _subject(detail, subject, main=all(s.scheme != subject.scheme for s in volume.subjects[:index]))


def subject_scheme(subject: Subject) -> str:
    if subject.scheme == "Thema" and subject.code[:1] in THEMA_QUALIFIERS:
        return THEMA_QUALIFIERS[subject.code[:1]]
    return SUBJECT_SCHEMES[subject.scheme]


def _subject(detail: etree._Element, subject: Subject, main: bool) -> None:
    """The first code of each scheme is the main subject (a BISAC or Thema qualifier never is)."""
    element = _add(detail, "Subject")
    scheme = subject_scheme(subject)
    if main and scheme in SUBJECT_SCHEMES.values():
        _add(element, "MainSubject")
    _add(element, "SubjectSchemeIdentifier", scheme)
    _add(element, "SubjectCode", subject.code)
    if subject.heading:
        _add(element, "SubjectHeadingText", subject.heading)


def _publishing_detail(publishing: etree._Element, volume: VolumeRecord) -> None:
    publisher = _add(publishing, "Publisher")
    _add(publisher, "PublishingRole", "01")
    _add(publisher, "PublisherName", volume.publisher)
    if volume.place:
        _add(publishing, "CityOfPublication", volume.place)
    _add(publishing, "PublishingStatus", STATUS[volume.state][0])
    date = _add(publishing, "PublishingDate")
    _add(date, "PublishingDateRole", "01")
    _add(date, "Date", volume.published.strftime("%Y%m%d"))
    rights = _add(publishing, "SalesRights")
    _add(rights, "SalesRightsType", "01")
    _add(_add(rights, "Territory"), "RegionsIncluded", "WORLD")


def _product_supply(supply: etree._Element, volume: VolumeRecord, fmt: str) -> None:
    """Sold worldwide by the publisher: its prices, "free of charge" for a price without an amount, or
    "price to be announced" when none is set for the format."""
    _add(_add(_add(supply, "Market"), "Territory"), "RegionsIncluded", "WORLD")
    detail = _add(supply, "SupplyDetail")
    supplier = _add(detail, "Supplier")
    _add(supplier, "SupplierRole", "01")
    _add(supplier, "SupplierName", volume.publisher)
    _add(detail, "ProductAvailability", STATUS[volume.state][1])
    prices = volume.format_prices(fmt)
    if not prices or all(price.amount is None for price in prices):
        _add(detail, "UnpricedItemType", "01" if prices else "02")
        return
    for price in prices:
        if price.amount is not None:
            _price(detail, price)


def _price(detail: etree._Element, price: Price) -> None:
    element = _add(detail, "Price")
    _add(element, "PriceType", "01")
    _add(element, "PriceAmount", f"{price.amount:.2f}")
    _add(element, "CurrencyCode", price.currency.upper())


def _title_detail(parent: etree._Element, title: str, subtitle: str) -> None:
    detail = _add(parent, "TitleDetail")
    _add(detail, "TitleType", "01")
    element = _add(detail, "TitleElement")
    _add(element, "TitleElementLevel", "01")
    _add(element, "TitleText", title)
    if subtitle:
        _add(element, "Subtitle", subtitle)


def _contributor(parent: etree._Element, number: int, role: str, person: Person) -> None:
    contributor = _add(parent, "Contributor")
    _add(contributor, "SequenceNumber", str(number))
    _add(contributor, "ContributorRole", role)
    if person.orcid:
        identifier = _add(contributor, "NameIdentifier")
        _add(identifier, "NameIDType", "21")
        _add(identifier, "IDValue", person.orcid)
    _add(contributor, "PersonName", person.name)
    if person.given:
        _add(contributor, "NamesBeforeKey", person.given)
    _add(contributor, "KeyNames", person.family)
    if person.affiliation:
        _add(_add(contributor, "ProfessionalAffiliation"), "Affiliation", person.affiliation)
    if person.bio:
        _add(contributor, "BiographicalNote", person.bio)


def _text_content(parent: etree._Element, text_type: str, text: str) -> None:
    content = _add(parent, "TextContent")
    _add(content, "TextType", text_type)
    _add(content, "ContentAudience", "00")
    _add(content, "Text", text, textformat="06")  # plain text


def _content_item(parent: etree._Element, chapter: ChapterRecord) -> None:
    item = _add(parent, "ContentItem")
    _add(item, "LevelSequenceNumber", str(chapter.number))
    text_item = _add(item, "TextItem")
    _add(text_item, "TextItemType", "03")
    if chapter.doi:
        identifier = _add(text_item, "TextItemIdentifier")
        _add(identifier, "TextItemIDType", "06")
        _add(identifier, "IDValue", chapter.doi)
    if chapter.first_page:
        run = _add(text_item, "PageRun")
        _add(run, "FirstPageNumber", chapter.first_page)
        if chapter.last_page:
            _add(run, "LastPageNumber", chapter.last_page)
    _add(item, "ComponentTypeName", "Chapter")
    _add(item, "ComponentNumber", str(chapter.number))
    _title_detail(item, chapter.title, "")
    for number, author in enumerate(chapter.authors, 1):
        _contributor(item, number, "A01", author)
    if chapter.abstract:
        _text_content(item, "30", chapter.abstract)
