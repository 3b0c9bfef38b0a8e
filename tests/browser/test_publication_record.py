"""The publication record as production uses it: from the production page to the record, a wrong ISBN named in
the error summary (focused) with everything typed kept, then saved hyphenated. axe-core audits every page, also
at 390 px."""

import pytest

from tests.browser.accounts import log_in
from tests.browser.test_clearance_flow import snap  # screenshots when CHAPTERHOUSE_SHOTS names a folder
from tests.volume_fixtures import final_volume  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_production_keeps_the_publication_record(page, call, people, final_volume):  # noqa: F811
    log_in(page, "production")
    page.goto(f"/production/{call.slug}/")
    page.click("text=Edit the publication record")
    assert page.locator("h1").inner_text() == "Publication record"
    assert page.locator("#id_part_industry").input_value() == ""  # nothing from the call for proposals
    snap(page, "publication-record")
    page.fill("#id_isbn_print", "978-0-16-091831-6")
    page.fill("#id_price_print_us", "24.95")
    page.fill("#id_price_pdf_us", "free")
    page.check("input[value='BISAC:POL012000']")
    page.check("#id_rights_basis_1")
    page.fill("#id_part_industry", "Two chapters on the *industrial base*.")
    page.click("button:has-text('Save the publication record')")
    assert page.evaluate("() => document.activeElement.id") == "form-errors"
    summary = page.locator("#form-errors").inner_text()
    assert "ISBN of the print edition" in summary and "check digit" in summary
    assert page.locator("#id_part_industry").input_value() == "Two chapters on the *industrial base*."
    assert page.locator("input[value='BISAC:POL012000']").is_checked()
    snap(page, "publication-record-refused")
    page.fill("#id_isbn_print", "9780160918315")
    page.click("button:has-text('Save the publication record')")
    assert "Publication record saved" in page.locator("main").inner_text()
    assert page.locator("#id_isbn_print").input_value() == "978-0-16-091831-5"
    assert "Publication record created" in page.locator("#changes-heading + ul").inner_text()
    snap(page, "publication-record-saved")
