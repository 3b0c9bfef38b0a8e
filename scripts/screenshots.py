"""Screenshots of the main pages, to look at what people see: `python scripts/screenshots.py [BASE_URL] [OUT_DIR]`.

Needs a running server with demo data (`scripts/run`) and Debian's chromium.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
out = Path(sys.argv[2] if len(sys.argv) > 2 else "var/screenshots")
out.mkdir(parents=True, exist_ok=True)

with sync_playwright() as p:
    browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    def shot(name, url, full=True):
        page.goto(base + url)
        page.screenshot(path=str(out / f"{name}.png"), full_page=full)
        print(out / f"{name}.png")

    shot("call", "/calls/dscu-fms-2024/")
    shot("propose", "/calls/dscu-fms-2024/propose/")
    page.click("button[type=submit]")
    page.screenshot(path=str(out / "propose-errors.png"), full_page=True)
    shot("login", "/accounts/login/", full=False)
    page.fill("#id_username", "editor")
    page.fill("#id_password", "chapterhouse-demo")
    page.click("button[type=submit]")
    shot("desk", "/desk/")
    first = page.locator("td.ref a").first.get_attribute("href")
    shot("desk-proposal", first)
    browser.close()
