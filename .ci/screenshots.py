"""Write screenshots of the shop's main pages at phone and desktop widths.

Usage: python .ci/screenshots.py BASE_URL OUT_DIR

The pages are found from the running shop itself (the first treatment, wellness product,
condition and article it links to), so it works against any loaded catalogue. The basket
is shot with a five-session package in it.
"""

import re
import sys
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def _first_link(base: str, path: str, pattern: str) -> str:
    html = urllib.request.urlopen(base + path, timeout=30).read().decode()  # noqa: S310  (http only)
    found = re.search(r'href="(' + pattern + r')"', html)
    if not found:
        raise SystemExit(f"no link matching {pattern} on {path}")
    return found.group(1)


def main_pages(base: str) -> dict[str, str]:
    """Return the main pages of the running shop, by name."""
    return {
        "home": "/",
        "catalogue": "/catalogue/",
        "category": _first_link(base, "/catalogue/", r"/catalogue/category/[^\"]+"),
        "treatment": _first_link(base, "/catalogue/", r"/catalogue/acupuncture_\d+/"),
        "product": _first_link(base, "/catalogue/", r"/catalogue/moxa-sticks_\d+/"),
        "condition": _first_link(base, "/conditions/", r"/conditions/[a-z0-9-]+/"),
        "article": _first_link(base, "/articles/", r"/articles/[a-z0-9-]+/"),
        "search": "/search/?q=acupuncture",
    }


def main() -> None:
    base, out = sys.argv[1].rstrip("/"), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    pages = main_pages(base)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        for width, height in WIDTHS.values():
            context = browser.new_context(
                base_url=base, viewport={"width": width, "height": height}
            )
            page = context.new_page()
            for name, path in pages.items():
                page.goto(path)
                page.screenshot(path=out / f"{name}-{width}.png", full_page=True)
                page.screenshot(path=out / f"{name}-{width}-first-screen.png")
            page.goto(pages["treatment"])
            page.get_by_role("button", name="Add 5 sessions to basket").first.click()
            page.goto("/basket/")
            page.screenshot(path=out / f"basket-{width}.png", full_page=True)
            context.close()
        browser.close()
    print(f"screenshots written to {out}/")


if __name__ == "__main__":
    main()
