"""Metadata exports: ONIX 3.0 validated against EDItEUR's XSD (onixcheck), a Crossref deposit checked for the
structure Crossref requires, and citations round-tripped through independent parsers (rispy, bibtexparser)."""

from __future__ import annotations

import datetime as dt
import io
import json

import bibtexparser
import onixcheck
import pytest
import rispy
from lxml import etree

from chapterhouse.launch.metadata.citations import bibtex, chicago_chapter_html, csl_json, ris
from chapterhouse.launch.metadata.crossref import DepositError, WithdrawnChapter, crossref_deposit
from chapterhouse.launch.metadata.onix import onix_message
from chapterhouse.launch.metadata.record import ChapterRecord, Person, VolumeRecord, chapter_doi, split_name, volume_doi

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
                  place="Washington, DC", isbn="978-0-306-40615-7", doi=volume_doi(PREFIX, "fms"),
                  url="https://press.example/v/fms/", description="A volume on FMS.", pages=260, chapters=chapters)
    values.update(changes)
    return VolumeRecord(**values)


def test_onix_validates_against_the_onix_3_0_reference_xsd(tmp_path):
    path = tmp_path / "onix.xml"
    path.write_bytes(onix_message(record()))
    assert onixcheck.validate(str(path)) == []
    tree = etree.parse(str(path))
    ns = {"o": "http://ns.editeur.org/onix/3.0/reference"}
    assert tree.getroot().get("release") == "3.0"
    items = tree.findall(".//o:ContentDetail/o:ContentItem", ns)
    assert [i.findtext("o:TitleDetail/o:TitleElement/o:TitleText", namespaces=ns) for i in items] == [
        "Arms Transfers & the Law: 50% Faster?", "Industry at Surge"]
    assert items[0].findtext("o:TextItem/o:TextItemIdentifier/o:IDValue", namespaces=ns) == "10.5555/fms.ch01"
    assert [c.findtext("o:KeyNames", namespaces=ns) for c in items[0].findall("o:Contributor", ns)] == [
        "Lovelace", "Hopper Jr."]
    assert tree.findtext(".//o:ProductIdentifier/o:IDValue", namespaces=ns) == "9780306406157"


def test_onix_without_isbn_still_validates_and_a_broken_file_would_not(tmp_path):
    path = tmp_path / "onix.xml"
    path.write_bytes(onix_message(record(isbn="", description="", subtitle="")))
    assert onixcheck.validate(str(path)) == []
    path.write_bytes(path.read_bytes().replace(b"<NotificationType>03", b"<NotificationType>99"))
    assert onixcheck.validate(str(path)) != []  # the validator does check


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
