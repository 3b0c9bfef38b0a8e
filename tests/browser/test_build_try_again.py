"""A galley build whose worker died three times, as the person who started it sees it: "Failed" with the reason,
and a "Try again" button that queues it and, the worker done, shows it built. axe-core audits every page."""

import pytest
from playwright.sync_api import expect

from chapterhouse.outbox import jobs
from tests.browser.accounts import log_in
from tests.browser.test_clearance_flow import snap  # screenshots when CHAPTERHOUSE_SHOTS names a folder
from tests.outbox.dead_worker import held_by_a_dead_worker, quick_builds  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_build_failed_by_dead_workers_says_why_and_can_be_tried_again(page, call, people, settings, quick_builds):
    build, _ = held_by_a_dead_worker(call, people, attempts=settings.CHAPTERHOUSE_JOB_ATTEMPTS)
    jobs.sweep()
    log_in(page, "production")
    page.goto(build.get_absolute_url())
    assert page.locator("#build-state").inner_text() == "Failed"
    callout = page.locator(".callout-error").inner_text()
    assert "The worker running the build (gone, last heard from" in callout and "started 3 times" in callout
    snap(page, "build-failed")
    page.click("button:has-text('Try again')")
    assert "Build 1 is queued again" in page.content()
    assert page.locator("#build-state").inner_text() == "Built"  # the test server's backend ran it at once
    history = page.locator("h2:has-text('History') + ul").inner_text()
    assert "Try again (Production)" in history and "Take back" not in history and "Fail: The worker" in history
    assert page.locator("button:has-text('Try again')").count() == 0
    snap(page, "build-tried-again")


def test_the_build_page_follows_the_state_with_the_progress(page, call, people):
    """Opened while the build waits, the page says "Queued"; once the worker claims it and reports a stage, the
    state beside the count reads "Building", never "Queued" next to "typeset: 7 of 11"."""
    from chapterhouse.production.models import GalleyBuild
    from chapterhouse.workflow.transitions import transition

    build = GalleyBuild.objects.create(call=call, number=1, requested_by=people["production"])
    log_in(page, "production")
    page.goto(build.get_absolute_url())
    assert page.locator("#build-state").inner_text() == "Queued"
    assert page.locator("#build-step").inner_text() == "waiting for the worker"
    transition(build, "running", None, jobs.WORKER_ROLES)  # what the worker's claim does (GalleyBuildJob.started)
    GalleyBuild.objects.filter(pk=build.pk).update(progress={"stage": "typeset", "done": 7, "total": 11, "label": ""})
    expect(page.locator("#build-step")).to_have_text("typeset: 7 of 11")
    assert page.locator("#build-state").inner_text() == "Building"
    assert page.locator("#build-state").get_attribute("class") == "status status-running"
