"""Registering DOIs in a browser: the editor presses "Register DOIs" on the launch page, the worker sends the
deposit to the local Crossref stand-in and reads its result; the page shows each DOI's outcome, and the chapter
page shows its DOI as plain text ("registration pending") until then and as a link after. axe-core audits every
page at 1280 and 390 px."""

from __future__ import annotations

import pytest

from tests.browser.accounts import log_in, log_out
from tests.browser.test_launch_gates import shot
from tests.launch.conftest import crossref, launchable, launched, real_build  # noqa: F401  (fixtures)
from tests.volume_fixtures import final_volume  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_registers_the_dois_and_the_chapter_page_links_them_once_crossref_says_so(
        page, call, people, launched, crossref):
    from chapterhouse.launch.registration import read_results

    slug = call.slug
    page.goto(f"/books/{slug}/chapters/1/")
    assert "(registration pending)" in page.locator(".facts").inner_text()
    assert page.locator('a[href^="https://doi.org/"]').count() == 0

    log_in(page, "editor")
    page.goto(f"/launch/{slug}/")
    page.get_by_role("button", name="Register DOIs").click()
    section = page.locator("#registration")
    assert "goes to Crossref now" in page.locator(".messages").inner_text()
    assert "Sent; waiting for Crossref's result" in section.inner_text()
    shot(page, "doi-registration-sent")

    crossref.pending_reads = 0
    assert set(read_results().values()) == {"registered"}
    page.reload()
    assert "Registered" in section.locator(".status").first.inner_text()
    assert "Successfully added" in section.inner_text()
    shot(page, "doi-registration-registered")
    log_out(page)

    page.goto(f"/books/{slug}/chapters/1/")
    link = page.locator('.facts a[href^="https://doi.org/"]')
    assert link.inner_text() == "10.5555/dscu-fms-2024.ch01"
    shot(page, "chapter-doi-registered")
