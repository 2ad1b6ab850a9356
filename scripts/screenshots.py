"""Screenshots of the site as readers see it: desktop and phone, light and dark palette.

    python scripts/screenshots.py [--site DIR] [--out DIR] [--full-page]

Without --site, the site is built first with `mkdocs build --strict` into a temporary
folder. The built site is served on localhost and read by Debian's Chromium
(/usr/bin/chromium) through Playwright. For each width (1280 px desktop, 390 px phone)
and palette, the PNGs in screenshots/ are:

- home-<width>-<palette>.png: the top of the home page;
- <post>-<width>-<palette>.png: the top of a post (title, date, first paragraphs);
- tabs-<width>-<palette>.png: the first output shown as one tab per CPython version,
  scrolled into view (the post with the most version tabs), with its source above;
- long-output-<width>-<palette>.png: the longest output of the site, scrolled into view.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from snippet_runner.blog.layout import Layout
from snippet_runner.devtools.build_site import strict_build
from snippet_runner.devtools.preview import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = Layout.load(ROOT / "mkdocs.yml")
POST = "caution-with-classes"
WIDTHS = {1280: 900, 390: 844}  # viewport width -> height (a desktop window, an iPhone 12-15)


def url_path(site: Path, index: Path) -> str:
    return index.parent.relative_to(site).as_posix() + "/"


def most_tabs(site: Path) -> Path:
    """The post page with the most version-tab sets (ties: the first by date)."""
    posts = sorted(LAYOUT.post_pages(site))
    return max(posts, key=lambda p: p.read_text("utf-8").count("snippet-versions-tabs"))


def longest_output(site: Path) -> tuple[Path, str]:
    """The post page and the id of its executed block with the most output lines."""
    best = (0, Path(), "")
    for page in sorted(LAYOUT.post_pages(site)):
        html = page.read_text("utf-8")
        for match in re.finditer(r'<div class="snippet-result" id="([^"]+)">', html):
            # The block ends where the next result or the next source block starts;
            # its length is that of its longest output (one per version tab).
            ends = [
                html.find(mark, match.end())
                for mark in ('class="snippet-result"', '<div class="language-')
            ]
            end = min([e for e in ends if e > 0], default=len(html))
            codes = re.findall(r"<code>(.*?)</code>", html[match.end() : end], re.S)
            lines = max((code.count("\n") + 1 for code in codes), default=0)  # one tab
            if lines > best[0]:
                best = (lines, page, match.group(1))
    return best[1], best[2]


def shoot(site: Path, out: Path, full_page: bool) -> list[Path]:
    (post,) = LAYOUT.post_pages(site, POST)
    long_page, long_id = longest_output(site)
    # name -> (path, element to scroll into view or None)
    shots = {
        "home": ("", None),
        POST: (url_path(site, post), None),
        "tabs": (url_path(site, most_tabs(site)), ".snippet-versions-tabs"),
        "long-output": (url_path(site, long_page), f"#{long_id}"),
    }
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for width, height in WIDTHS.items():
            for scheme in ("light", "dark"):  # the palette follows the system preference
                context = browser.new_context(
                    base_url=url,
                    color_scheme=scheme,
                    viewport={"width": width, "height": height},
                    device_scale_factor=1,
                    is_mobile=width < 600,
                    has_touch=width < 600,
                )
                page = context.new_page()
                for name, (path, target) in shots.items():
                    page.goto(path, wait_until="networkidle")
                    if target:
                        # The block's source above it, then the output: the source's last
                        # lines and the whole output frame in one window.
                        page.locator(target).first.evaluate(
                            "e => { e.scrollIntoView({block: 'start'}); window.scrollBy(0, -160); }"
                        )
                        page.wait_for_timeout(500)  # the header's title slides in on scroll
                    png = out / f"{name}-{width}-{scheme}.png"
                    page.screenshot(path=png, full_page=full_page and not target)
                    written.append(png)
                context.close()
        browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--full-page", action="store_true", help="whole pages, not the window")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} not found: install Debian's chromium package (make chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            strict_build(site)
        for png in shoot(site.resolve(), args.out, args.full_page):
            print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
