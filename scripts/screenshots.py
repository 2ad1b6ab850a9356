"""Screenshots of the home page and a post, in the light and the dark palette.

    python scripts/screenshots.py [--site DIR] [--out DIR] [--full-page]

Without --site, the site is built first with `mkdocs build --strict` into a temporary
folder. The built site is served on localhost and read by Debian's Chromium
(/usr/bin/chromium) through Playwright; the PNGs go to screenshots/ (home-light.png,
home-dark.png, caution-with-classes-light.png, caution-with-classes-dark.png).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from snippet_runner.preview import CHROMIUM, CHROMIUM_ARGS, serve

ROOT = Path(__file__).resolve().parent.parent
POST = "caution-with-classes"


def build(site: Path) -> None:
    # Not --quiet: with it, `mkdocs build --strict` no longer fails on warnings.
    print(f"building the site into {site} ...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def shoot(site: Path, out: Path, full_page: bool) -> list[Path]:
    (post,) = site.glob(f"blog/*/*/*/{POST}/index.html")
    pages = {"home": "", POST: post.parent.relative_to(site).as_posix() + "/"}
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for scheme in ("light", "dark"):  # the palette follows the system preference
            context = browser.new_context(
                base_url=url, color_scheme=scheme, viewport={"width": 1280, "height": 900}
            )
            page = context.new_page()
            for name, path in pages.items():
                page.goto(path, wait_until="networkidle")
                png = out / f"{name}-{scheme}.png"
                page.screenshot(path=png, full_page=full_page)
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
        sys.exit(f"{CHROMIUM} not found: install Debian's chromium package")
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(site)
        for png in shoot(site.resolve(), args.out, args.full_page):
            print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
