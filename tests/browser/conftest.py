"""Playwright driving Debian's chromium against the live test server, with axe-core on every page.

Every page a test's ``page`` visits is audited twice: as it loads at desktop width (axe-core, injected before
the page's own scripts), and once more at the end at 390 px wide, re-opened with the cookies it was seen
with, for axe and for sideways scrolling. Any WCAG 2.x A/AA violation or a page wider than a phone fails the
test at teardown, naming the page and the rule.
"""

import json
import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE_WIDTH = 390
CONSOLE_PREFIX = "chapterhouse-axe:"

# Runs in every page before its own scripts; reports to the test through the console once the page has loaded.
AUDIT_ON_LOAD = """
window.addEventListener('load', () => {
  if (window.top !== window || !window.axe) return;
  window.axe.run(document, {runOnly: {type: 'tag', values: %s}}).then(result => console.log('%s' + JSON.stringify({
    url: location.href,
    violations: result.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 4).map(n => n.target.join(' '))}))
  })));
});
""" % (json.dumps(AXE_TAGS), CONSOLE_PREFIX)


def _describe(url: str, width: str, violations: list[dict]) -> list[str]:
    return [f"{url} at {width}: {v['id']} — {v['help']} ({'; '.join(v['nodes'])})" for v in violations]


def axe_violations(page) -> list[dict]:
    """Runs axe in the page now (for a state a test reaches without a page load, e.g. an open dialog)."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE_JS.read_text())  # evaluated by the browser's devtools, so the page's CSP allows it
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations.map(
             v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 4).map(n => n.target.join(' '))})))""",
        AXE_TAGS,
    )


def assert_accessible(page) -> None:
    problems = _describe(page.url, "this moment", axe_violations(page))
    assert not problems, "axe-core found WCAG A/AA violations:\n" + "\n".join(problems)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run scripts/test, which installs axe-core with npm")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _phone_check(browser, base_url: str, url: str, storage_state) -> list[str]:
    # bypass_csp: axe is added as a script tag here, which the site's Content-Security-Policy rightly refuses.
    context = browser.new_context(base_url=base_url, viewport={"width": PHONE_WIDTH, "height": 844},
                                  storage_state=storage_state, bypass_csp=True)
    try:
        tab = context.new_page()
        response = tab.goto(url)
        if response is None or response.status != 200 or tab.url != url:
            return []  # not a page a GET shows again (a one-time receipt, a redirect): audited when it loaded
        problems = _describe(url, f"{PHONE_WIDTH} px", axe_violations(tab))
        overflow = tab.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{url} at {PHONE_WIDTH} px: {overflow} px wider than the screen (sideways scroll)")
        return problems
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    context.add_init_script(path=str(AXE_JS))
    context.add_init_script(script=AUDIT_ON_LOAD)
    audits: list[dict] = []
    visits: dict[str, object] = {}
    tab = context.new_page()

    def on_console(message):
        if message.text.startswith(CONSOLE_PREFIX):
            audits.append(json.loads(message.text[len(CONSOLE_PREFIX):]))

    def on_load(loaded):
        visits.setdefault(loaded.url, context.storage_state())

    tab.on("console", on_console)
    tab.on("load", on_load)
    yield tab
    tab.wait_for_timeout(300)  # let the last page's audit report
    problems = [p for audit in audits for p in _describe(audit["url"], "1280 px", audit["violations"])]
    for url, state in visits.items():
        if url.startswith(live_server.url):
            problems += _phone_check(browser, live_server.url, url, state)
    context.close()
    if problems:
        pytest.fail("Accessibility problems on pages this test visited:\n" + "\n".join(dict.fromkeys(problems)))
