"""The security review clicked through: an editor prepares the request, edits the DD 1910, builds the package
and checks the downloaded ZIP (checksums, DD 1910 fields), submits it; the security reviewer records the
office's answer and an amendment; the author uploads the amended chapter (a change outside the passage is
flagged); the security reviewer confirms. axe-core audits every page (conftest)."""

import io
import json
import os
import zipfile

import pytest

from chapterhouse.clearance.models import AmendedVersion, Amendment, ClearanceRequest
from chapterhouse.clearance.package import sha256, verify_package
from tests.clearance.conftest import chapter_file, final_chapter, store_version, volume  # noqa: F401  (fixtures)
from tests.browser.accounts import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def snap(page, name):
    """Screenshots at 1280 and 390 px when CHAPTERHOUSE_SHOTS names a folder, to look at the pages."""
    folder = os.environ.get("CHAPTERHOUSE_SHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}-1280.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{folder}/{name}-390.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def move(page, label, reason="", **fields):
    details = page.locator(f"details:has(summary:has-text('{label}'))")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = details.locator("form")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    if reason:
        form.locator("textarea[name=reason]").fill(reason)
    form.locator("button[type=submit]").click()


def test_package_checked_amendment_made_and_confirmed(page, call, people, volume):
    log_in(page, "editor")
    page.goto("/clearance/")
    page.click("button:has-text('Prepare the clearance request')")
    assert page.locator("h1").inner_text() == call.title
    page.click("text=Edit the DD 1910")
    snap(page, "dd1910")
    page.fill("#id_point_of_contact", "Nathan Toronto, DSCU, +1 555 0100")
    page.fill("#id_prior_coordination", "DSCA Public Affairs")
    page.click("button:has-text('Save the DD 1910')")
    page.click("button:has-text('Re-check chapters and build the package')")
    page.wait_for_selector("[data-testid=package-link]")

    with page.expect_download() as download:
        page.click("[data-testid=package-link]")
    data = open(download.value.path(), "rb").read()
    assert verify_package(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    for item in manifest["files"]:
        assert sha256(archive.read(item["path"])) == item["sha256"]
    form = {f["key"]: f["value"] for f in manifest["dd1910"]}
    assert form["point_of_contact"] == "Nathan Toronto, DSCU, +1 555 0100"
    assert form["prior_coordination"] == "DSCA Public Affairs" and int(form["pages"]) > 10
    assert form["title"].startswith(call.title) and "Author_B" in form["authors"]
    assert sum(n.endswith(".docx") for n in archive.namelist()) == 2 and "manuscript/combined.pdf" in archive.namelist()

    snap(page, "request-prepared")
    move(page, "Submit to the office", on="2025-03-03")
    assert "expected by" in page.inner_text("main") and ClearanceRequest.objects.get().status == "submitted"
    log_out(page)

    log_in(page, "security")
    page.goto("/clearance/")
    page.click(f"table >> text={call.title}")
    move(page, "Record that review started")
    move(page, "Record: cleared as amended", reason="One passage in the process chapter.", office_reference="25-S-0042")
    page.select_option("#am_chapter", label=volume["a"].title)
    page.fill("#am_location", "p. 1, first paragraph")
    page.fill("#am_cleared_text", "delivered forty aircraft")
    page.fill("#am_required_text", "delivered several aircraft")
    page.click("button:has-text('Record the amendment')")
    snap(page, "request-amended")
    assert Amendment.objects.get().status == "required"
    log_out(page)

    log_in(page, "author_a")
    page.goto("/my/clearance/")
    page.click(f"text={volume['a'].title}")
    assert "delivered several aircraft" in page.inner_text("main")
    amended = chapter_file(replace=("forty aircraft", "several aircraft"), extra="An extra sentence after clearance.")
    page.set_input_files("#id_file", {"name": "amended.docx", "mimeType": DOCX, "buffer": amended})
    page.click("button:has-text('Upload and send to the security reviewer')")
    assert "1 change(s) outside the amended passages" in page.inner_text("main")
    snap(page, "author-amendments")
    log_out(page)

    log_in(page, "security")
    page.goto(f"/clearance/{ClearanceRequest.objects.get().pk}/chapters/{volume['a'].pk}/")
    assert "1 change(s) outside the amended passages" in page.inner_text("[data-testid=flagged]")
    assert page.locator("li.flagged").count() == 1 and "An extra sentence" in page.inner_text("li.flagged")
    snap(page, "security-chapter")
    page.click("button:has-text('Confirm this amendment')")
    assert Amendment.objects.get().status == "confirmed"
    assert volume["a"].final_version == AmendedVersion.objects.get().version
