"""Metadata exports: ONIX 3.0 validated against EDItEUR's XSD (onixcheck), a Crossref deposit checked for the
structure Crossref requires, and citations round-tripped through independent parsers (rispy, bibtexparser)."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import bibtexparser
import onixcheck
import pytest
import rispy
from lxml import etree

from chapterhouse.launch.metadata.citations import bibtex, chicago_chapter_html, csl_json, ris
from chapterhouse.launch.metadata.crossref import DepositError, WithdrawnChapter, crossref_deposit
from chapterhouse.launch.metadata.onix import onix_message
from chapterhouse.launch.metadata.record import (ChapterRecord, Person, Price, Subject, VolumeRecord, chapter_doi,
                                                 split_name, volume_doi)

PREFIX = "10.5555"


def record(**changes) -> VolumeRecord:
    chapters = (
        ChapterRecord(1, "Arms Transfers & the Law: 50% Faster?", (Person("Ada Q. Lovelace", "Analytical University"),
                                                                   Person("Grace Hopper Jr.", "Navy")),
                      "How law {shapes} transfers.", "Law and Policy", "3", "24", chapter_doi(PREFIX, "fms", 1),
                      "https://press.example/v/fms/chapters/1/"),
        ChapterRecord(2, "Industry at Surge", (Person("Ørjan Brødsky", "Oslo"),), "Capacity.", "Industry", "25", "40",
                      chapter_doi(PREFIX, "fms", 2), "https://press.example/v/fms/chapters/2/"),
    )
    values = dict(key="fms", title="U.S. Foreign Military Sales", subtitle="Opportunities", publisher="DSCU Press",
                  published=dt.date(2025, 5, 15), editors=(Person("Nathan Toronto", "DSCU", "Nathan edits."),),
                  place="Washington, DC", isbn_print="978-0-306-40615-7", doi=volume_doi(PREFIX, "fms"),
                  url="https://press.example/v/fms/", description="A volume on FMS.", pages=260, chapters=chapters)
    values.update(changes)
    return VolumeRecord(**values)


ONIX = {"o": "http://ns.editeur.org/onix/3.0/reference"}
ISBNS = dict(isbn_print="978-0-306-40615-7", isbn_pdf="978-1-4028-9462-6", isbn_epub="9780262033848")


def validated_onix(tmp_path, volume: VolumeRecord) -> etree._ElementTree:
    path = tmp_path / "onix.xml"
    path.write_bytes(onix_message(volume))
    assert onixcheck.validate(str(path)) == []
    return etree.parse(str(path))


def products(tree) -> dict[str, etree._Element]:
    """Each product by the form detail that names its format."""
    names = {"B102": "print", "E107": "pdf", "E101": "epub"}
    return {names[p.findtext("o:DescriptiveDetail/o:ProductFormDetail", namespaces=ONIX)]: p
            for p in tree.findall("o:Product", ONIX)}


def text(element, path: str) -> str | None:
    return element.findtext(path, namespaces=ONIX)


def test_onix_validates_against_the_onix_3_0_reference_xsd(tmp_path):
    tree = validated_onix(tmp_path, record())
    assert tree.getroot().get("release") == "3.0"
    product = tree.find("o:Product", ONIX)
    items = product.findall("o:ContentDetail/o:ContentItem", ONIX)
    assert [text(i, "o:TitleDetail/o:TitleElement/o:TitleText") for i in items] == [
        "Arms Transfers & the Law: 50% Faster?", "Industry at Surge"]
    assert text(items[0], "o:TextItem/o:TextItemIdentifier/o:IDValue") == "10.5555/fms.ch01"
    assert [text(c, "o:KeyNames") for c in items[0].findall("o:Contributor", ONIX)] == ["Lovelace", "Hopper Jr."]
    assert text(product, "o:ProductIdentifier/o:IDValue") == "9780306406157"


def test_onix_has_one_product_per_format_with_its_isbn_form_and_the_others_as_alternatives(tmp_path):
    tree = validated_onix(tmp_path, record(**ISBNS))
    by_format = products(tree)
    assert list(by_format) == ["print", "pdf", "epub"]
    assert {fmt: (text(p, "o:ProductIdentifier/o:ProductIDType"), text(p, "o:ProductIdentifier/o:IDValue"),
                  text(p, "o:DescriptiveDetail/o:ProductForm"))
            for fmt, p in by_format.items()} == {"print": ("15", "9780306406157", "BC"),
                                                 "pdf": ("15", "9781402894626", "ED"),
                                                 "epub": ("15", "9780262033848", "ED")}
    assert len({text(p, "o:RecordReference") for p in by_format.values()}) == 3
    epub = by_format["epub"]
    assert [text(r, "o:ProductIdentifier/o:IDValue") for r in epub.findall("o:RelatedMaterial/o:RelatedProduct", ONIX)
            ] == ["9780306406157", "9781402894626"]
    assert text(epub, "o:RelatedMaterial/o:RelatedWork/o:WorkIdentifier/o:IDValue") == "10.5555/fms"
    for product in by_format.values():  # every format carries the whole book: its chapters as content items
        assert len(product.findall("o:ContentDetail/o:ContentItem", ONIX)) == 2


def test_onix_without_a_print_isbn_offers_the_digital_formats_under_the_press_s_own_identifiers(tmp_path):
    tree = validated_onix(tmp_path, record(isbn_print="", description="", subtitle=""))
    by_format = products(tree)
    assert list(by_format) == ["pdf", "epub"]
    assert [(text(p, "o:ProductIdentifier/o:ProductIDType"), text(p, "o:ProductIdentifier/o:IDValue"))
            for p in by_format.values()] == [("01", "fms.pdf"), ("01", "fms.epub")]
    path = tmp_path / "onix.xml"
    path.write_bytes(path.read_bytes().replace(b"<NotificationType>03", b"<NotificationType>99"))
    assert onixcheck.validate(str(path)) != []  # the validator does check


@pytest.mark.parametrize("state, status, availability", [
    ("preparing", "02", "10"), ("launched", "04", "20"), ("withdrawn", "11", "46")])
def test_onix_publishing_status_follows_the_publication_s_state(tmp_path, state, status, availability):
    tree = validated_onix(tmp_path, record(state=state, published=dt.date(2020, 1, 1)))
    for product in tree.findall("o:Product", ONIX):
        assert text(product, "o:PublishingDetail/o:PublishingStatus") == status
        assert text(product, "o:ProductSupply/o:SupplyDetail/o:ProductAvailability") == availability


def test_onix_prices_free_formats_and_a_price_still_to_come(tmp_path):
    prices = (Price("print", "USD", Decimal("24.95")), Price("print", "GBP", Decimal("19")), Price("pdf", "", None))
    by_format = products(validated_onix(tmp_path, record(prices=prices, **ISBNS)))
    print_supply = by_format["print"].find("o:ProductSupply/o:SupplyDetail", ONIX)
    assert [(text(p, "o:PriceType"), text(p, "o:PriceAmount"), text(p, "o:CurrencyCode"))
            for p in print_supply.findall("o:Price", ONIX)] == [("01", "24.95", "USD"), ("01", "19.00", "GBP")]
    assert text(print_supply, "o:UnpricedItemType") is None
    assert text(by_format["pdf"], "o:ProductSupply/o:SupplyDetail/o:UnpricedItemType") == "01"  # free of charge
    assert text(by_format["epub"], "o:ProductSupply/o:SupplyDetail/o:UnpricedItemType") == "02"  # to be announced
    assert text(by_format["pdf"], "o:ProductSupply/o:SupplyDetail/o:Supplier/o:SupplierName") == "DSCU Press"


def test_onix_subjects_and_orcid(tmp_path):
    subjects = (Subject("BISAC", "POL012000", "POLITICAL SCIENCE / Security (National & International)"),
                Subject("Thema", "JPS", "International relations"), Subject("BISAC", "POL011000"),
                Subject("Thema", "1KBB", "USA"))
    editors = (Person("Nathan Toronto", "DSCU", orcid="0000-0002-1825-0097"),)
    product = validated_onix(tmp_path, record(subjects=subjects, editors=editors)).find("o:Product", ONIX)
    found = [(s.find("o:MainSubject", ONIX) is not None, text(s, "o:SubjectSchemeIdentifier"), text(s, "o:SubjectCode"))
             for s in product.findall("o:DescriptiveDetail/o:Subject", ONIX)]
    assert found == [(True, "10", "POL012000"), (True, "93", "JPS"), (False, "10", "POL011000"), (False, "94", "1KBB")]
    editor = product.find("o:DescriptiveDetail/o:Contributor", ONIX)
    assert (text(editor, "o:NameIdentifier/o:NameIDType"), text(editor, "o:NameIdentifier/o:IDValue")) == (
        "21", "0000-0002-1825-0097")


def test_crossref_deposit_is_an_edited_book_with_chapters_as_content_items():
    xml = crossref_deposit(record(), "DSCU Press", "press@example.mil", "fms-1",
                           dt.datetime(2025, 5, 15, 12, tzinfo=dt.timezone.utc))
    root = etree.fromstring(xml)
    ns = {"c": "http://www.crossref.org/schema/5.3.1", "jats": "http://www.ncbi.nlm.nih.gov/JATS1"}
    assert root.tag == "{http://www.crossref.org/schema/5.3.1}doi_batch" and root.get("version") == "5.3.1"
    assert [e.tag.split("}")[1] for e in root.find("c:head", ns)] == ["doi_batch_id", "timestamp", "depositor",
                                                                        "registrant"]
    assert root.findtext("c:head/c:timestamp", namespaces=ns) == "20250515120000"
    book = root.find("c:body/c:book", ns)
    assert book.get("book_type") == "edited_book"
    metadata = book.find("c:book_metadata", ns)
    # Element order as the schema's sequence has it.
    assert [e.tag.split("}")[1] for e in metadata] == ["contributors", "titles", "abstract", "publication_date",
                                                        "isbn", "publisher", "doi_data"]
    assert metadata.find("c:contributors/c:person_name", ns).get("contributor_role") == "editor"
    assert metadata.findtext("c:doi_data/c:doi", namespaces=ns) == "10.5555/fms"
    items = book.findall("c:content_item", ns)
    assert [i.get("component_type") for i in items] == ["chapter", "chapter"]
    assert [i.findtext("c:doi_data/c:doi", namespaces=ns) for i in items] == ["10.5555/fms.ch01", "10.5555/fms.ch02"]
    assert [e.tag.split("}")[1] for e in items[0]] == ["contributors", "titles", "component_number", "abstract",
                                                        "publication_date", "pages", "doi_data"]
    names = items[0].findall("c:contributors/c:person_name", ns)
    assert [(n.get("sequence"), n.findtext("c:surname", namespaces=ns)) for n in names] == [
        ("first", "Lovelace"), ("additional", "Hopper Jr.")]
    assert items[0].findtext("c:pages/c:first_page", namespaces=ns) == "3"


def test_a_withdrawn_chapter_is_deposited_after_the_book_marked_withdrawn_and_resolving_to_its_notice():
    gone = WithdrawnChapter(doi="10.5555/fms.ch03", title="Offsets", url="https://press.example/v/fms/chapters/3/",
                            notice="Withdrawn at its author's request.", withdrawn_on=dt.date(2025, 9, 1))
    root = etree.fromstring(crossref_deposit(record(), "DSCU Press", "press@example.mil", "fms-2", withdrawn=(gone,)))
    ns = {"c": "http://www.crossref.org/schema/5.3.1", "jats": "http://www.ncbi.nlm.nih.gov/JATS1"}
    item = root.findall("c:body/c:book/c:content_item", ns)[-1]
    assert [e.tag.split("}")[1] for e in item] == ["titles", "abstract", "publication_date", "doi_data"]
    assert item.findtext("c:titles/c:title", namespaces=ns) == "WITHDRAWN: Offsets"
    assert item.findtext("jats:abstract/jats:p", namespaces=ns) == (
        "This chapter was withdrawn from the book on 2025-09-01. Withdrawn at its author's request.")
    assert (item.findtext("c:doi_data/c:doi", namespaces=ns), item.findtext("c:doi_data/c:resource", namespaces=ns)) \
        == ("10.5555/fms.ch03", "https://press.example/v/fms/chapters/3/")
    with pytest.raises(DepositError, match="withdrawn chapter “Offsets”: 'ch03' is not a DOI"):
        crossref_deposit(record(), "DSCU Press", "press@example.mil", "fms-3",
                         withdrawn=(WithdrawnChapter("ch03", "Offsets", gone.url, "", gone.withdrawn_on),))


def test_crossref_deposit_names_each_format_s_isbn_by_medium_or_says_there_is_none():
    def isbns(volume):
        xml = crossref_deposit(volume, "DSCU Press", "press@example.mil", "fms-1")
        metadata = etree.fromstring(xml).find(".//c:book_metadata", {"c": "http://www.crossref.org/schema/5.3.1"})
        return [(e.tag.split("}")[1], e.get("media_type") or e.get("reason"), e.text) for e in metadata
                if e.tag.split("}")[1] in ("isbn", "noisbn")]

    assert isbns(record(**ISBNS)) == [("isbn", "print", "9780306406157"), ("isbn", "electronic", "9781402894626"),
                                      ("isbn", "electronic", "9780262033848")]
    assert isbns(record(isbn_print="", isbn_epub="978-0-262-03384-8")) == [("isbn", "electronic", "9780262033848")]
    assert isbns(record(isbn_print="")) == [("noisbn", "monograph", None)]


def test_crossref_deposit_without_doi_prefix_says_what_to_set():
    bare = record(doi="", chapters=tuple(ChapterRecord(c.number, c.title, c.authors) for c in record().chapters))
    with pytest.raises(DepositError) as raised:
        crossref_deposit(bare, "DSCU Press", "press@example.mil", "fms-1")
    assert "the volume has no DOI: set publication.doi_prefix in the call file" in raised.value.problems
    assert len(raised.value.problems) == 3


def test_csl_json_round_trips():
    volume = record()
    items = json.loads(csl_json(volume, everything=True))
    assert [i["type"] for i in items] == ["book", "chapter", "chapter"]
    chapter = items[1]
    assert chapter["author"] == [{"family": "Lovelace", "given": "Ada Q."}, {"family": "Hopper Jr.", "given": "Grace"}]
    assert chapter["container-title"] == "U.S. Foreign Military Sales: Opportunities"
    assert chapter["page"] == "3-24" and chapter["DOI"] == "10.5555/fms.ch01"
    assert chapter["issued"] == {"date-parts": [[2025, 5, 15]]}
    assert json.loads(csl_json(volume, volume.chapters[1]))[0]["title"] == "Industry at Surge"


def test_ris_round_trips_through_rispy():
    volume = record()
    entries = rispy.load(io.StringIO(ris(volume, everything=True)))
    assert [e["type_of_reference"] for e in entries] == ["EDBOOK", "CHAP", "CHAP"]
    book = entries[0]
    assert book["title"] == "U.S. Foreign Military Sales: Opportunities"
    assert "secondary_title" not in book  # T2 of a book is read as its series
    chapter = entries[1]
    assert chapter["title"] == "Arms Transfers & the Law: 50% Faster?"
    assert chapter["authors"] == ["Lovelace, Ada Q.", "Hopper Jr., Grace"]
    assert chapter["secondary_authors"] == ["Toronto, Nathan"]
    assert (chapter["start_page"], chapter["end_page"], chapter["doi"]) == ("3", "24", "10.5555/fms.ch01")
    assert entries[2]["authors"] == ["Brødsky, Ørjan"]
    single = rispy.load(io.StringIO(ris(volume, volume.chapters[0])))
    assert len(single) == 1 and single[0]["secondary_title"] == "U.S. Foreign Military Sales: Opportunities"


def test_bibtex_round_trips_through_bibtexparser():
    volume = record()
    library = bibtexparser.parse_string(bibtex(volume, everything=True))
    assert not library.failed_blocks
    entries = library.entries
    assert [e.entry_type for e in entries] == ["book", "incollection", "incollection"]
    assert len({e.key for e in entries}) == 3
    chapter = entries[1]
    assert chapter["title"] == r"{Arms Transfers \& the Law: 50\% Faster?}"
    assert chapter["author"] == "Lovelace, Ada Q. and Hopper Jr., Grace"
    assert chapter["pages"] == "3--24" and chapter["doi"] == "10.5555/fms.ch01"
    assert chapter["abstract"] == r"How law \{shapes\} transfers."
    assert entries[0]["editor"] == "Toronto, Nathan"
    assert entries[0]["title"] == "{U.S. Foreign Military Sales: Opportunities}"
    assert "subtitle" not in entries[0]  # biblatex's field; BibTeX styles drop it
    assert chapter["booktitle"] == "{U.S. Foreign Military Sales: Opportunities}"


def test_chicago_citation_italicises_the_book_title_and_escapes_everything_else():
    volume = record(subtitle="Opportunities <and> Risks")
    cited = chicago_chapter_html(volume, volume.chapters[0])
    assert ("Lovelace, Ada Q., and Grace Hopper Jr. “Arms Transfers &amp; the Law: 50% Faster?” "
            "In <i>U.S. Foreign Military Sales: Opportunities &lt;and&gt; Risks</i>, edited by Nathan Toronto, 3–24. "
            "Washington, DC: DSCU Press, 2025. https://doi.org/10.5555/fms.ch01.") == cited
    assert cited.count("<") == 2  # only the <i> pair is markup


@pytest.mark.parametrize("name, expected", [
    ("Ada Lovelace", ("Ada", "Lovelace")), ("Grace Hopper Jr.", ("Grace", "Hopper Jr.")),
    ("Lovelace, Ada", ("Ada", "Lovelace")), ("Plato", ("", "Plato")), ("Mary Ann  Smith", ("Mary Ann", "Smith")),
])
def test_names_split_into_given_and_family(name, expected):
    assert split_name(name) == expected
