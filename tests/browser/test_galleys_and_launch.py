"""Production and launch in a browser: a production editor uploads the cover and builds the galleys from the
web, an editor reorders chapters, picks the build and launches the volume, and a reader opens the catalogue
page, a chapter page, every metadata export (each validated) and the catalogue API. axe-core audits every page."""

from __future__ import annotations

import io
import json

import bibtexparser
import onixcheck
import pytest
import rispy
from lxml import etree

from tests.volume_fixtures import cover_png, final_volume  # noqa: F401  (a fixture)
from tests.browser.accounts import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_galleys_built_from_the_web_then_launched_with_every_export_valid(page, call, people, final_volume, tmp_path):
    slug = call.slug
    # Production: the volume as the next build will set it, the cover, the build.
    log_in(page, "production")
    page.goto(f"/production/{slug}/")
    assert page.locator("#part-title-" + str(final_volume[0].theme_id)).inner_text() == "Law and Policy"
    assert "No chapter accepted as final yet: this part is skipped." in page.content()
    cover = tmp_path / "small.png"
    cover.write_bytes(cover_png(600, 900))
    page.set_input_files("#id_image", str(cover))
    page.fill("#id_description", "Navy cover with a brick band")
    page.click("text=Upload cover")
    assert "needs at least 1,800 × 2,700 pixels" in page.locator("#form-errors").inner_text()
    cover.write_bytes(cover_png())
    page.set_input_files("#id_image", str(cover))
    page.fill("#id_description", "Navy cover with a brick band")
    page.click("text=Upload cover")
    assert "Cover uploaded" in page.content()
    # The worker runs it; the test server's immediate backend runs it before the redirect, so wait for it.
    with page.expect_navigation(url="**/builds/1/", timeout=180_000):
        page.click("text=Build galleys now", no_wait_after=True)
    page.reload()
    assert page.locator("#build-state").inner_text() == "Built"
    assert page.locator(".page-grid img").count() > 10
    pdf = page.request.get(f"/production/{slug}/builds/1/files/pdf/")
    assert pdf.ok and pdf.body()[:4] == b"%PDF"
    summary = page.request.get(f"/production/{slug}/builds/1/summary/").json()
    assert [c["title"] for c in summary["chapters"]][0] == "Arms Transfers and the Law of Atrocity Prevention"
    log_out(page)

    # Editor: reorder a part without JavaScript's drag (the buttons), then publish build 1 and launch.
    log_in(page, "editor")
    page.goto(f"/production/{slug}/")
    page.click("text=Move up: Offsets and Coproduction Agreements")
    assert "Chapter order in “Industry” saved." in page.content()
    rows = page.locator(f"#part-{final_volume[1].theme_id} .chapter-title").all_inner_texts()
    assert rows == ["Offsets and Coproduction Agreements", "Surge Capacity in the Defense Industrial Base"]
    page.goto(f"/launch/{slug}/")
    page.select_option("#id_build", label=page.locator("#id_build option").nth(1).inner_text())
    page.fill("#id_description", "Essays on foreign military sales for the security cooperation professional.")
    page.check("#id_downloads_open")
    page.fill("#id_published_on", "2025-05-15")
    page.click("text=Save")
    # What launch needs is on the page before its button: nothing is cleared or proofed yet.
    checklist = page.locator(".checklist").first.inner_text()
    assert "Not yet: Every chapter, front matter and part introduction" in checklist
    assert "Arms Transfers and the Law of Atrocity Prevention” is in no clearance request" in checklist
    assert page.locator("button:has-text('Launch')").count() == 0
    # The security review clears the volume and the authors answer their proofs (their own flows' tests click
    # through them); then the checklist is all done and the button is there.
    from chapterhouse.production.models import GalleyBuild
    from tests.clearance.conftest import cleared
    from tests.launch.conftest import proofs_answered

    cleared(call, people)
    proofs_answered(GalleyBuild.objects.get(call=call, number=1), people)
    page.reload()
    assert "Not yet" not in page.locator(".checklist").first.inner_text()
    page.click("button:has-text('Launch')")
    assert "The volume is now Launched." in page.content()
    log_out(page)

    # A reader: the catalogue page, a chapter, downloads, every export, the API.
    page.goto(f"/books/{slug}/")
    main = page.locator("main").inner_text()
    for text in ("U.S. Foreign Military Sales", "Essays on foreign military sales", "Book launch",
                 "Surge Capacity in the Defense Industrial Base", "Author B studies industrial capacity.",
                 "Disclaimer", "Download PDF", "Download EPUB"):
        assert text in main, text
    assert page.locator("img.book-cover").get_attribute("alt") == "Navy cover with a brick band"
    page.click("text=Arms Transfers and the Law of Atrocity Prevention")
    citation = page.locator("#citation").inner_text()
    # No deposit has been sent: the DOI is shown as pending, and a citation does not cite it until it resolves.
    assert "edited by Nathan Toronto and Hadd Jones" in citation and "10.5555/dscu-fms-2024.ch01" not in citation
    assert "10.5555/dscu-fms-2024.ch01 (registration pending)" in page.locator("main").inner_text()
    assert page.locator("a[href*='doi.org/10.5555/dscu-fms-2024.ch01']").count() == 0
    for kind in ("pdf", "epub"):
        assert page.request.get(f"/books/{slug}/download/{kind}/").ok

    onix = tmp_path / "onix.xml"
    onix.write_bytes(page.request.get(f"/books/{slug}/metadata/onix/").body())
    assert onixcheck.validate(str(onix)) == []
    crossref = etree.fromstring(page.request.get(f"/books/{slug}/metadata/crossref/").body())
    assert crossref.find(".//{http://www.crossref.org/schema/5.3.1}book").get("book_type") == "edited_book"
    assert len(json.loads(page.request.get(f"/books/{slug}/metadata/csl/").body())) == 4
    assert len(rispy.load(io.StringIO(page.request.get(f"/books/{slug}/metadata/ris/").text()))) == 4
    assert len(bibtexparser.parse_string(page.request.get(f"/books/{slug}/metadata/bibtex/").text()).entries) == 4
    for number in (1, 2, 3):
        for kind in ("csl", "ris", "bibtex"):
            assert page.request.get(f"/books/{slug}/chapters/{number}/cite/{kind}/").ok
    api = page.request.get(f"/api/catalogue/{slug}/").json()
    assert [c["number"] for c in api["contents"]] == [1, 2, 3] and api["downloads"]
    page.goto("/api/")
    assert "Catalogue API" in page.locator("h1").inner_text()


def test_an_editor_drags_a_chapter_to_a_new_place_in_its_part(page, call, people, final_volume):
    from chapterhouse.chapters.models import Chapter

    surge, offsets = final_volume[1], final_volume[2]
    log_in(page, "editor")
    page.goto(f"/production/{call.slug}/")
    rows = page.locator(f"#part-{surge.theme_id} .chapter-row")
    with page.expect_navigation():  # the script saves the order, then reloads the page
        rows.nth(1).drag_to(rows.nth(0), target_position={"x": 20, "y": 5})
    titles = page.locator(f"#part-{surge.theme_id} .chapter-title").all_inner_texts()
    assert titles == ["Offsets and Coproduction Agreements", "Surge Capacity in the Defense Industrial Base"]
    assert list(Chapter.objects.filter(theme=surge.theme).order_by("order").values_list("pk", flat=True)) == [
        offsets.pk, surge.pk]
