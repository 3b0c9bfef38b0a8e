"""Every page a demo account reaches by following links, audited: the demo data (`chapterhouse setup --demo`)
carries each stage of both volumes, so this visits pages in states the flow tests do not, and the browser fixture
checks each one with axe at 1280 px and for sideways scroll at 390 px. Files (Word, PDF, images, feeds,
metadata exports) are not pages and are not opened."""

from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from tests.browser.test_chapter_flow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
PAGES_PER_ACCOUNT = 45  # breadth first from the landing page; the demo's accounts reach 16 to 45 pages
NOT_A_PAGE = ("/accounts/logout", "/admin")


@pytest.mark.parametrize("account", ["editor", "author1", "reviewer", "security", "production"])
def test_every_page_a_demo_account_reaches_passes_axe_and_fits_a_phone(page, account, live_server):
    call_command("setup_site", demo=True, verbosity=0)
    log_in(page, account, "chapterhouse-demo")
    host = urlparse(live_server.url).netloc
    seen, queue, pages = set(), ["/"], 0
    while queue and len(seen) < PAGES_PER_ACCOUNT:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        answer = page.request.get(path, max_redirects=0)
        if answer.status != 200 or not answer.headers.get("content-type", "").startswith("text/html"):
            continue  # a file, a redirect or a refusal: not a page to audit
        page.goto(path)
        pages += 1
        for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"):
            target = urlparse(href)
            if target.netloc == host and not target.path.startswith(NOT_A_PAGE) and target.path not in seen:
                queue.append(target.path)
    assert pages >= 12, f"{account} reached only {pages} pages"  # the crawl itself works
