"""A launched volume as the public sees it: the catalogue page, chapter pages with citations, downloads once
opened, every metadata export (validated), and the read-only catalogue API."""

from __future__ import annotations

import io
import json
import re

import bibtexparser
import onixcheck
import pytest
import rispy
from django.urls import reverse
from lxml import etree

from chapterhouse.launch.models import Publication

pytestmark = pytest.mark.django_db


def test_the_volume_page_shows_cover_contents_contributors_disclaimer_downloads_and_event(client, call, launched):
    page = client.get(reverse("volume_page", args=[call.slug])).content.decode()
    for text in ("U.S. Foreign Military Sales", "Essays on foreign military sales.", "Arms Transfers and the Law",
                 "Author B studies industrial capacity.", "do not necessarily reflect", "Download PDF",
                 "Download EPUB", "Book launch", "10.5555/dscu-fms-2024", "Law and Policy"):
        assert text in page, text
    assert '<h3 class="part-name">Process</h3>' not in page and '<h3 class="part-name">Industry</h3>' in page
    assert client.get(reverse("volume_download", args=[call.slug, "pdf"])).status_code == 200


def test_downloads_stay_closed_until_the_press_opens_them(client, call, launched):
    Publication.objects.filter(pk=launched.pk).update(downloads_open=False)
    assert "Downloads are not open yet" in client.get(reverse("volume_page", args=[call.slug])).content.decode()
    assert client.get(reverse("volume_download", args=[call.slug, "pdf"])).status_code == 404


def test_a_volume_not_launched_is_not_public(client, call, people, final_volume):
    Publication.objects.create(call=call)
    assert client.get(reverse("volume_page", args=[call.slug])).status_code == 404
    assert client.get(reverse("api_volume", args=[call.slug])).status_code == 404
    client.force_login(people["editor"])
    assert "Preview for editors" in client.get(reverse("volume_page", args=[call.slug])).content.decode()


def test_a_chapter_page_carries_its_citation_with_pages_and_doi(client, call, launched):
    build = launched.build
    first = build.summary["chapters"][0]
    page = client.get(reverse("chapter_page", args=[call.slug, 1])).content.decode()
    assert "Arms Transfers and the Law of Atrocity Prevention" in page
    assert f"{first['first_page']}–{first['last_page']}" in page
    assert "10.5555/dscu-fms-2024.ch01" in page  # a link only once registered (test_registration.py)
    assert "edited by Nathan Toronto and Hadd Jones" in page
    assert re.search(r"In <i>U\.S\. Foreign Military Sales[^<]*</i>, edited by", page)  # the book title in italics


def test_every_metadata_export_is_served_and_valid(client, call, launched, tmp_path):
    def get(name, *args):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, response.content
        assert response["Content-Disposition"].startswith("attachment;")
        return response.content

    onix = tmp_path / "onix.xml"
    onix.write_bytes(get("volume_metadata", call.slug, "onix"))
    assert onixcheck.validate(str(onix)) == []
    crossref = etree.fromstring(get("volume_metadata", call.slug, "crossref"))
    ns = {"c": "http://www.crossref.org/schema/5.3.1"}
    assert [d.text for d in crossref.iterfind(".//c:content_item/c:doi_data/c:doi", ns)] == [
        f"10.5555/dscu-fms-2024.ch0{n}" for n in (1, 2, 3)]
    items = json.loads(get("volume_metadata", call.slug, "csl"))
    assert [i["type"] for i in items] == ["book", "chapter", "chapter", "chapter"]
    assert len(rispy.load(io.StringIO(get("volume_metadata", call.slug, "ris").decode()))) == 4
    assert len(bibtexparser.parse_string(get("volume_metadata", call.slug, "bibtex").decode()).entries) == 4
    for number in (1, 2, 3):
        assert json.loads(get("chapter_citation", call.slug, number, "csl"))[0]["type"] == "chapter"
        ris = rispy.load(io.StringIO(get("chapter_citation", call.slug, number, "ris").decode()))
        assert ris[0]["type_of_reference"] == "CHAP" and "doi" not in ris[0]  # until Crossref registers it
        bib = bibtexparser.parse_string(get("chapter_citation", call.slug, number, "bibtex").decode())
        assert bib.entries[0].entry_type == "incollection"


def test_onix_offers_each_format_of_the_launched_book_as_the_call_file_sets_it(client, call, launched, tmp_path):
    from chapterhouse.call.models import Call

    call.source = call.source.replace("[publication]\n", (
        '[publication]\nisbn = "978-0-306-40615-7"\nisbn_epub = "9780262033848"\n'
        'prices = [{format = "print", currency = "USD", amount = 24.95}]\n'
        'subjects = [{scheme = "BISAC", code = "POL012000"}, {scheme = "Thema", code = "JPS"}]\n'), 1)
    call.save()
    call = Call.objects.get(pk=call.pk)
    assert call.definition.publication.isbn_epub == "9780262033848"
    path = tmp_path / "onix.xml"
    path.write_bytes(client.get(reverse("volume_metadata", args=[call.slug, "onix"])).content)
    assert onixcheck.validate(str(path)) == []
    ns = {"o": "http://ns.editeur.org/onix/3.0/reference"}
    products = etree.parse(str(path)).findall("o:Product", ns)

    def each(xpath):
        return [p.findtext(xpath, namespaces=ns) for p in products]

    assert each("o:DescriptiveDetail/o:ProductFormDetail") == ["B102", "E107", "E101"]
    assert each("o:ProductIdentifier/o:IDValue") == ["9780306406157", f"{call.slug}.pdf", "9780262033848"]
    assert each("o:PublishingDetail/o:PublishingStatus") == ["04"] * 3  # launched: active
    assert each("o:ProductSupply/o:SupplyDetail/o:Price/o:PriceAmount") == ["24.95", None, None]
    assert each("o:ProductSupply/o:SupplyDetail/o:UnpricedItemType") == [None, "01", "01"]  # downloads are open
    assert each("o:DescriptiveDetail/o:Subject/o:SubjectCode") == ["POL012000"] * 3


def test_the_catalogue_api_lists_volumes_chapters_and_contributors(client, call, launched):
    listing = client.get(reverse("api_catalogue")).json()
    assert listing["api_version"] == 1 and [v["slug"] for v in listing["volumes"]] == [call.slug]
    volume = client.get(listing["volumes"][0]["api_url"]).json()
    assert [c["title"] for c in volume["contents"]] == ["Arms Transfers and the Law of Atrocity Prevention",
                                                        "Surge Capacity in the Defense Industrial Base",
                                                        "Offsets and Coproduction Agreements"]
    assert volume["contents"][0]["first_page"] == launched.build.summary["chapters"][0]["first_page"]
    assert set(volume["downloads"]) == {"pdf", "epub"} and set(volume["metadata"]) == {"onix", "crossref", "csl",
                                                                                       "ris", "bibtex"}
    people = client.get(reverse("api_contributors", args=[call.slug])).json()
    assert [e["name"] for e in people["editors"]] == ["Nathan Toronto", "Hadd Jones"]
    assert people["authors"][1]["bio"] == "Author B studies industrial capacity."
    assert client.post(reverse("api_catalogue")).status_code == 405
    assert "GET /api/catalogue/" in client.get(reverse("api_docs")).content.decode()
