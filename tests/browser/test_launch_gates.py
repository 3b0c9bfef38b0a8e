"""Launch's gates in a browser: the editor reads the checklist before the button and launches once it is all
done; a foreword added later shows as not cleared, the answered request offers a follow-up carrying only it, and
the new build is published as a correction whose notice readers see; an editor passes an author's proofs with a
reason; a withdrawn book's chapter address says why. axe-core audits every page at 1280 and 390 px."""

from __future__ import annotations

import os

import pytest

from tests.browser.accounts import log_in, log_out
from tests.launch.conftest import launchable, real_build  # noqa: F401  (a fixture)
from tests.volume_fixtures import final_volume  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("CHAPTERHOUSE_SHOTS", "")  # a folder to keep screenshots in, when looking at the pages


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=f"{SHOTS}/{name}-390.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def test_launch_reads_its_checklist_and_a_later_foreword_is_published_as_a_correction(page, call, people, launchable):
    import datetime as dt

    from chapterhouse.clearance.models import ClearanceRequest
    from chapterhouse.production.models import FrontMatterText
    from chapterhouse.production.proofs.corrections import open_round
    from tests.clearance.conftest import answered

    slug = call.slug
    log_in(page, "editor")
    page.goto(f"/launch/{slug}/")
    page.select_option("#id_build", label=page.locator("#id_build option").nth(1).inner_text())
    page.fill("#id_description", "Essays on foreign military sales.")
    page.click("text=Save")
    checklist = page.locator(".checklist").first.inner_text()
    assert "Not yet" not in checklist and checklist.count("Done:") == 4
    page.click("button:has-text('Launch')")
    assert "The volume is now Launched." in page.content()

    FrontMatterText.objects.create(call=call, title="Foreword", authors="Hadd Jones", body="Words added late.")
    real_build(call, people)
    page.goto(f"/launch/{slug}/")
    assert page.locator("#id_build").count() == 0  # the launched book's build is not a plain setting any more
    replace = page.locator("#replace .checklist").inner_text()
    assert "For build 2 (the latest) to be published" in replace and "“Foreword” is in no clearance request" in replace
    shot(page, "launch-manage")

    page.goto(launchable["clearance"].get_absolute_url())
    assert "Foreword" in page.locator("[data-testid=follow-up]").inner_text()
    page.click("text=Prepare a follow-up request for these")
    assert "Follow-up request prepared with what is new since: Foreword." in page.content()
    shot(page, "clearance-follow-up")
    answered(ClearanceRequest.objects.get(follows__isnull=False), people)

    page.goto(f"/launch/{slug}/")
    page.select_option("#replace_build", label=page.locator("#replace_build option").nth(1).inner_text())
    page.check("#replace_kind_0")
    page.fill("#replace_notice", "A foreword by Hadd Jones was added.")
    page.click("text=Publish the new build")
    assert "Build 2 is now the published book" in page.content()
    log_out(page)
    page.goto(f"/books/{slug}/")
    assert "A foreword by Hadd Jones was added." in page.locator(".errata").inner_text()
    shot(page, "volume-errata")

    log_in(page, "editor")
    round_ = open_round(real_build(call, people), dt.date.today() + dt.timedelta(days=7), people["editor"])
    page.goto(f"/proofs/rounds/{round_.pk}/")
    assert "Not yet:" in page.locator(".checklist").inner_text()
    first = round_.proofs.select_related("chapter").first()
    page.click(f"text=Pass without the author's answer… >> nth=0")
    page.fill(f"#pass-{first.pk}", "The author is travelling; the editors read the pages.")
    page.click("text=Pass the pages")
    assert "Pages passed without the author's answer" in page.content()
    shot(page, "proof-round")

    page.goto(f"/launch/{slug}/")
    page.fill("#reason-withdrawn", "Recalled by the press.")
    page.click("button:has-text('Withdraw')")
    log_out(page)
    page.goto(f"/books/{slug}/chapters/1/")
    assert "Recalled by the press." in page.content()
    shot(page, "withdrawn")
