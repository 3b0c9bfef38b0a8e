"""ONIX for Books 3.0 (reference tags): one product for the volume with each chapter as a content item.

Code lists used (EDItEUR ONIX codelists): ProductIDType 15 ISBN-13, 06 DOI, 01 proprietary; ProductForm EA
digital, ProductFormDetail E101 EPUB, E107 PDF; TitleType 01; ContributorRole B01 editor, A01 author;
TextType 03 description, 30 abstract; PublishingRole 01; PublishingDateRole 01; PublishingStatus 04 active,
02 forthcoming; ExtentType 00 main content pages, ExtentUnit 03 pages; ContentItem TextItemType 03 body matter.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from .record import ChapterRecord, Person, VolumeRecord

NAMESPACE = "http://ns.editeur.org/onix/3.0/reference"
LANGUAGES = {"en": "eng", "fr": "fre", "de": "ger", "es": "spa", "it": "ita", "pt": "por", "ar": "ara", "ru": "rus",
             "zh": "chi", "ja": "jpn", "ko": "kor", "nl": "dut", "pl": "pol", "uk": "ukr"}


def onix_language(tag: str) -> str:
    """ISO 639-2/B from a BCP 47 tag (ONIX's LanguageCode list 74)."""
    return LANGUAGES.get(tag.split("-")[0].lower(), tag.split("-")[0].lower()[:3])


def _add(parent: etree._Element, tag: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", **attributes)
    if text is not None:
        element.text = str(text)
    return element


def onix_message(volume: VolumeRecord, sent: dt.datetime | None = None, today: dt.date | None = None) -> bytes:
    sent = sent or dt.datetime.now(dt.timezone.utc)
    today = today or sent.date()
    root = etree.Element(f"{{{NAMESPACE}}}ONIXMessage", nsmap={None: NAMESPACE}, release="3.0")
    header = _add(root, "Header")
    _add(_add(header, "Sender"), "SenderName", volume.publisher)
    _add(header, "SentDateTime", sent.strftime("%Y%m%dT%H%M%z"))
    product = _add(root, "Product")
    _add(product, "RecordReference", f"chapterhouse.{volume.key}")
    _add(product, "NotificationType", "03")
    identifier = _add(product, "ProductIdentifier")
    if volume.isbn:
        _add(identifier, "ProductIDType", "15")
        _add(identifier, "IDValue", volume.isbn13)
    else:
        _add(identifier, "ProductIDType", "01")
        _add(identifier, "IDTypeName", "chapterhouse")
        _add(identifier, "IDValue", volume.key)
    if volume.doi:
        doi = _add(product, "ProductIdentifier")
        _add(doi, "ProductIDType", "06")
        _add(doi, "IDValue", volume.doi)

    detail = _add(product, "DescriptiveDetail")
    _add(detail, "ProductComposition", "00")
    _add(detail, "ProductForm", "EA")
    _add(detail, "ProductFormDetail", "E107")
    _add(detail, "ProductFormDetail", "E101")
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

    if volume.description:
        collateral = _add(product, "CollateralDetail")
        _text_content(collateral, "03", volume.description)

    content = _add(product, "ContentDetail")
    for chapter in volume.chapters:
        _content_item(content, chapter)

    publishing = _add(product, "PublishingDetail")
    publisher = _add(publishing, "Publisher")
    _add(publisher, "PublishingRole", "01")
    _add(publisher, "PublisherName", volume.publisher)
    if volume.place:
        _add(publishing, "CityOfPublication", volume.place)
    _add(publishing, "PublishingStatus", "04" if volume.published <= today else "02")
    date = _add(publishing, "PublishingDate")
    _add(date, "PublishingDateRole", "01")
    _add(date, "Date", volume.published.strftime("%Y%m%d"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


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
