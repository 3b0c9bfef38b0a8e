"""The publication record (issue 20): ISBNs per edition checked and hyphenated, prices, subjects from the shipped
list, rights, disclaimer, running titles and part introductions edited in the web app, audited, read by the
galleys through ``publication_settings`` — and the copyright page printing it, read back from the built PDF."""

from __future__ import annotations

import datetime as dt
import subprocess
import tomllib
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from chapterhouse.clearance.models import ClearanceRequest
from chapterhouse.production.galleys.build import build_galleys
from chapterhouse.production.publication.catalog import (PUBLIC_DOMAIN_STATEMENT, RecordError, hyphenated_isbn,
                                                         parse_price, subjects)
from chapterhouse.production.publication.forms import PublicationForm
from chapterhouse.production.publication.models import PublicationRecord
from chapterhouse.production.publication.settings import publication_settings
from chapterhouse.production.volume import COPYRIGHT_KEY, volume_texts, write_volume_manifest
from chapterhouse.workflow.models import AuditEntry

pytestmark = pytest.mark.django_db

GOOD = {"isbn_print": "978-0-16-091831-5", "isbn_pdf": "9780160918322", "isbn_epub": "0-306-40616-0",
        "rights_basis": "public_domain", "rights": "", "disclaimer": "The views are the authors' own.",
        "short_title": "", "subjects": ["BISAC:POL012000", "Thema:JPSD"], "price_print_us": "24.95",
        "price_pdf_us": "free"}


# -- the plain checks ---------------------------------------------------------------------------------------

def test_an_isbn_is_hyphenated_by_its_ranges_and_an_isbn_10_becomes_its_isbn_13():
    assert hyphenated_isbn("9780160918315") == "978-0-16-091831-5"
    assert hyphenated_isbn(" 0-306-40615-2 ") == "978-0-306-40615-7"
    assert hyphenated_isbn("") == ""


@pytest.mark.parametrize("wrong,why", [
    ("9780160918316", "wrong check digit"), ("12345", "not an ISBN"), ("9770160918315", "978 or 979"),
    ("9799999999990", "no ISBN range"), ("0-306-40615-3", "wrong check digit")])
def test_a_wrong_isbn_says_why(wrong, why):
    with pytest.raises(RecordError, match=why):
        hyphenated_isbn(wrong)


def test_prices_are_amounts_or_free_of_charge_and_anything_else_is_refused():
    assert parse_price("$1,024.50", "print", "US").amount == Decimal("1024.50")
    assert parse_price("free", "pdf", "GB").free and parse_price("0", "pdf", "GB").free
    assert parse_price("  ", "epub", "US") is None
    for wrong in ("cheap", "-3", "2.999", "nan"):
        with pytest.raises(RecordError):
            parse_price(wrong, "print", "US")


def test_the_shipped_subject_list_holds_bisac_and_thema_codes():
    schemes = {s.scheme for s in subjects()}
    assert schemes == {"BISAC", "Thema"} and any(s.code == "POL012000" for s in subjects())


# -- the form -----------------------------------------------------------------------------------------------

def form(**changes) -> PublicationForm:
    return PublicationForm({**GOOD, **changes})


def test_a_bad_isbn_is_refused_naming_the_field_and_why():
    bound = form(isbn_pdf="978-0-16-091831-6")
    assert not bound.is_valid()
    assert "isbn_pdf" in bound.errors and "check digit" in bound.errors["isbn_pdf"][0]
    assert bound.fields["isbn_pdf"].label == "ISBN of the PDF edition"


def test_two_editions_cannot_share_an_isbn():
    bound = form(isbn_epub="978-0-16-091831-5")
    assert not bound.is_valid() and "already the print edition's ISBN" in bound.errors["isbn_epub"][0]


def test_a_subject_outside_the_shipped_list_and_a_bad_price_are_refused():
    bound = form(subjects=["BISAC:FIC000000"], price_print_gb="a lot")
    assert not bound.is_valid()
    assert "subjects" in bound.errors and "not a price" in bound.errors["price_print_gb"][0]


def test_own_words_for_the_rights_need_the_words():
    bound = form(rights_basis="statement", rights="")
    assert not bound.is_valid() and "rights" in bound.errors


# -- the page -----------------------------------------------------------------------------------------------

def test_before_the_first_save_the_page_offers_the_call_files_values_and_empty_part_introductions(
        client, call, people, final_volume):
    client.force_login(people["production"])
    page = client.get(reverse("publication_record", args=[call.slug])).content.decode()
    assert "Introduction to the part “Industry”" in page
    assert "Proposed chapters might answer" not in page and "following questions" not in page
    assert "do not necessarily reflect" in page  # the standard disclaimer naming the publisher
    assert publication_settings(call).part_introductions == {}
    assert "The copyright page as the next build sets it" in page and "10 9 8 7 6 5 4 3 2 1" in page


def test_saving_stores_the_record_hyphenated_and_audits_what_changed(client, call, people, final_volume):
    client.force_login(people["editor"])
    surge = final_volume[1]
    response = client.post(reverse("publication_record", args=[call.slug]),
                           {**GOOD, f"short_title_{surge.pk}": "Surge Capacity", "part_industry": "Two chapters on *industry*."})
    assert response.status_code == 302
    record = PublicationRecord.objects.get(call=call)
    assert record.isbn_epub == "978-0-306-40616-4" and record.updated_by == people["editor"]
    settings = publication_settings(call)
    assert settings.isbn_print == "978-0-16-091831-5" and settings.rights.startswith(PUBLIC_DOMAIN_STATEMENT)
    assert [str(p) for p in settings.prices] == ["Print, United States: USD 24.95", "PDF, United States: free of charge"]
    assert [s.code for s in settings.subjects] == ["POL012000", "JPSD"]
    assert settings.chapter_short_titles == {surge.pk: "Surge Capacity"}
    assert settings.part_introductions == {"industry": "Two chapters on *industry*."}
    audit = AuditEntry.objects.get(action="Publication record created")
    assert audit.actor == people["editor"] and "ISBN of the PDF edition" in audit.reason

    client.post(reverse("publication_record", args=[call.slug]), {**GOOD, "isbn_pdf": "", "part_industry": ""})
    change = AuditEntry.objects.get(action="Publication record changed")
    assert "ISBN of the PDF edition" in change.reason and "Introduction to the part “Industry”" in change.reason
    assert "ISBN of the print edition" not in change.reason
    assert publication_settings(call).part_introductions == {}


def test_a_refused_save_keeps_what_was_typed_and_names_the_field_in_the_summary(client, call, people, final_volume):
    client.force_login(people["production"])
    response = client.post(reverse("publication_record", args=[call.slug]),
                           {**GOOD, "isbn_print": "978-0-16-091831-6", "part_industry": "Kept words."})
    page = response.content.decode()
    assert response.status_code == 400 and not PublicationRecord.objects.exists()
    assert 'id="form-errors"' in page and 'href="#id_isbn_print"' in page and "check digit" in page
    assert "Kept words." in page and "978-0-16-091831-6" in page


def test_the_production_page_and_the_to_do_list_link_the_record(client, call, people, final_volume):
    client.force_login(people["production"])
    url = reverse("publication_record", args=[call.slug])
    assert url in client.get(reverse("production_volume", args=[call.slug])).content.decode()
    assert url in client.get(reverse("todo")).content.decode()
    client.force_login(people["editor"])
    assert url in client.get(reverse("todo")).content.decode()


# -- the manifest and the clearance of its texts ------------------------------------------------------------

def save_record(call, **changes):
    bound = PublicationForm({**GOOD, **changes}, chapters=[], themes=list(call.themes.all()))
    assert bound.is_valid(), bound.errors
    from chapterhouse.production.publication.records import save

    return save(call, bound, None, {})


def test_the_manifest_carries_the_record_and_the_clearance_statement(call, final_volume, tmp_path):
    save_record(call, part_industry="Readers' words.")
    PublicationRecord.objects.filter(call=call).update(chapter_short_titles={str(final_volume[1].pk): "Surge"})
    ClearanceRequest.objects.create(call=call, status="cleared", office_reference="25-SB-0142",
                                    cleared_on=dt.date(2025, 3, 14))
    manifest, inputs = write_volume_manifest(call, tmp_path)
    data = tomllib.loads(manifest.read_text())
    volume = data["volume"]
    assert (volume["isbn"], volume["isbn_pdf"], volume["isbn_epub"]) == (
        "978-0-16-091831-5", "978-0-16-091832-2", "978-0-306-40616-4")
    assert volume["doi"] == "10.5555/dscu-fms-2024" and volume["printing_line"] == "10 9 8 7 6 5 4 3 2 1"
    assert volume["clearance_statement"] == ("Cleared for public release by Defense Office of Prepublication and "
                                             "Security Review (DOPSR) (case number 25-SB-0142, March 14, 2025).")
    assert [p["introduction"] for p in data["parts"]] == ["", "Readers' words."]
    assert data["parts"][1]["chapters"][0]["short_title"] == "Surge"
    assert any(entry["key"] == COPYRIGHT_KEY for entry in inputs.front_matter)
    assert [p["key"] for p in inputs.parts] == ["part:industry"]


def test_the_copyright_words_and_written_introductions_go_to_the_security_review(call, final_volume):
    keys = [t.key for t in volume_texts(call)]
    assert keys == [COPYRIGHT_KEY]  # nothing from the call: no part introduction until one is written
    save_record(call, part_industry="Readers' words.", rights_basis="statement", rights="Licensed under CC BY 4.0.")
    texts = {t.key: t for t in volume_texts(call)}
    assert set(texts) == {COPYRIGHT_KEY, "part:industry"}
    assert "Licensed under CC BY 4.0." in texts[COPYRIGHT_KEY].body


# -- the copyright page, read back from the built book ------------------------------------------------------

def test_the_copyright_page_prints_the_record_in_the_pdf_and_the_epub(call, final_volume, tmp_path):
    save_record(call)
    ClearanceRequest.objects.create(call=call, status="cleared", office_reference="25-SB-0142",
                                    cleared_on=dt.date(2025, 3, 14))
    manifest, _ = write_volume_manifest(call, tmp_path / "work")
    build_galleys(manifest, tmp_path / "out", formats=("pdf", "epub"), progress=False)
    pdf = next((tmp_path / "out").glob("*.pdf"))
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "6", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    page = next(p for p in text.split("\f") if "First published" in p)
    flat = " ".join(page.split())
    for expected in ("U.S. Foreign Military Sales", "Edited by", PUBLIC_DOMAIN_STATEMENT,
                     "ISBN 978-0-16-091831-5 (print)", "ISBN 978-0-16-091832-2 (PDF)", "ISBN 978-0-306-40616-4 (EPUB)",
                     "DOI: https://doi.org/10.5555/dscu-fms-2024",
                     "Cleared for public release by Defense Office of Prepublication and Security Review (DOPSR) "
                     "(case number 25-SB-0142, March 14, 2025).", "10 9 8 7 6 5 4 3 2 1",
                     "The views are the authors' own."):
        assert expected in flat, expected
    assert "following questions" not in " ".join(text.split())
    epub = next((tmp_path / "out").glob("*.epub"))
    with zipfile.ZipFile(epub) as book:
        words = " ".join(book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xhtml"))
    assert "ISBN 978-0-16-091831-5 (print)" in words and "case number 25-SB-0142" in words
