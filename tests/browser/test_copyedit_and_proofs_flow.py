"""Line editing and proofs clicked through after clearance: production sends a copyedit, the author approves it;
editors send the proofs of a galley build; the author reads their pages and files a correction that changes the
meaning; it is flagged, the editor accepts it (made in the typeset version), and the security reviewer sees it.
axe-core audits every page (conftest)."""

import pytest

from chapterhouse.production.lineedit.models import CopyeditRound
from chapterhouse.production.models import GalleyBuild
from chapterhouse.production.proofs.models import Correction
from chapterhouse.production.tasks import run_galley_build
from chapterhouse.production.volume import typeset_version
from tests.browser.accounts import log_in, log_out
from tests.browser.test_clearance_flow import DOCX, snap
from tests.clearance.conftest import cleared, final_chapter, store_version, volume  # noqa: F401  (fixtures)
from tests.lineedit.conftest import copyedited  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_copyedit_approved_and_a_meaning_correction_flagged_and_accepted(page, call, people, volume, copyedited):
    clearance = cleared(call, people)
    chapter = volume["a"]

    log_in(page, "production")
    page.goto(f"/copyedit/{call.slug}/")
    page.set_input_files(f"#c{chapter.pk}_file", {"name": "copyedit.docx", "mimeType": DOCX, "buffer": copyedited})
    page.fill(f"#note-{chapter.pk}", "House style applied; one query.")
    page.locator(f"section:has(#ch-{chapter.pk}) button[type=submit]").click()
    assert "sent to the author" in page.inner_text(".messages")
    snap(page, "copyedit-chapters")
    log_out(page)

    log_in(page, "author_a")
    page.goto(f"/my/chapters/{chapter.pk}/copyedit/")
    assert "please confirm the number of aircraft" in page.inner_text("main")
    snap(page, "my-copyedit")
    page.click("button:has-text('Approve the copyedit')")
    assert CopyeditRound.objects.get().status == "approved"
    log_out(page)

    build = GalleyBuild.objects.create(call=call, number=1, requested_by=people["production"])
    run_galley_build.call(build.pk)  # galleys from the web are production's pages; here the worker's task
    log_in(page, "editor")
    page.goto(f"/proofs/{call.slug}/")
    page.click("button:has-text('Send the proofs to the authors')")
    log_out(page)

    log_in(page, "author_a")
    page.goto(f"/my/chapters/{chapter.pk}/proofs/")
    assert page.locator("figure.proof-page img").count() >= 2
    page.fill("#id_page", "1")  # no line: the images show none, and the wrong text finds the place
    page.fill("#id_wrong", "delivered forty aircraft")
    page.fill("#id_right", "delivered sixty aircraft")
    page.fill("#id_comment", "The 2019 figure was revised.")
    page.click("button:has-text('File the correction')")
    assert "p. 1</strong>" in page.content()
    snap(page, "my-proofs")
    page.click("button:has-text('Send my corrections to the editors')")
    log_out(page)

    log_in(page, "editor")
    page.goto(f"/proofs/rounds/{Correction.objects.get().proof.round_id}/")
    assert "Changes the meaning after clearance" in page.inner_text("main")
    page.click("button:has-text('Accept')")
    snap(page, "proof-round")
    correction = Correction.objects.get()
    assert correction.status == "accepted" and correction.applied_version == typeset_version(chapter)
    log_out(page)

    log_in(page, "security")
    page.goto(f"/clearance/{clearance.pk}/chapters/{chapter.pk}/")
    after = page.inner_text("section:has(#h-after)")
    assert "Proof corrections" in after and "delivered sixty aircraft" in after and "May change the meaning" in after
    assert "newly inserted words" in after  # the approved copyedit's changes since the cleared text
    snap(page, "security-after-clearance")
