"""Browser fixtures: Debian's Chromium, driven by Playwright, reading the real built site.

Every test that reads a page runs twice, at 1280 px (a desktop window) and at 390 px
(a phone: touch, no hover), through the ``width`` fixture; a test pins one width with
``@pytest.mark.parametrize("width", [1280])``.

What the tests need and this machine may lack (Chromium, axe-core from npm) is a skip
with one line saying what is missing and how to get it; under ``CI=true`` the same line
fails the test, so a CI run cannot pass without having looked at a page.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from snippet_runner.devtools.preview import CHROMIUM, CHROMIUM_ARGS, serve

from ..conftest import PROJECT
from ..test_front_matter import split

POST = "caution-with-classes"  # the post most browser tests read

#: Viewport width -> height: a desktop window, and a phone (iPhone 12 to 15).
WIDTHS = {1280: 900, 390: 844}
PHONE = 390

#: axe-core, installed from npm by `make axe-core` (the version is pinned in the Makefile).
AXE_CORE = PROJECT.root / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"

_YES = {"1", "on", "yes", "true"}


def on_ci(env: Mapping[str, str] = os.environ) -> bool:
    """GitHub and .ci/run set CI=true; anything but a yes is a no (CI is not ours)."""
    return env.get("CI", "").strip().lower() in _YES


def unavailable(problem: str, *, ci: bool) -> None:
    """A tool a test needs is missing: one line saying so, a failure under CI, else a skip."""
    if ci:
        pytest.fail(problem, pytrace=False)
    pytest.skip(problem)


def chromium_path(env: Mapping[str, str] = os.environ) -> Path:
    """Debian's Chromium, or the one PICKLED_STATE_CHROMIUM names (GitHub: Playwright's)."""
    return Path(env.get("PICKLED_STATE_CHROMIUM") or CHROMIUM)


def axe_core_path(env: Mapping[str, str] = os.environ) -> Path:
    return Path(env.get("PICKLED_STATE_AXE_CORE") or AXE_CORE)


@dataclass(frozen=True)
class Post:
    slug: str
    title: str


def published_posts() -> list[Post]:
    """Every post that is not a draft, with its title as the page shows it."""
    posts = []
    for path in sorted(PROJECT.posts_dir.glob("*.md")):
        meta, body = split(path)
        if meta.get("draft"):
            continue
        heading = re.search(r"(?m)^# (.+)$", body)
        title = meta.get("title") or (heading.group(1) if heading else path.stem)
        posts.append(Post(path.stem, " ".join(title.replace("`", "").split())))
    return posts


def page_of(site: Path, slug: str) -> str:
    """The URL path of a post's page in the built site, e.g. "blog/2023/03/03/<slug>/"."""
    (index,) = PROJECT.post_pages(site, slug)
    return index.parent.relative_to(site).as_posix() + "/"


def archive_of(site: Path) -> str:
    """The URL path of the newest year of the blog archive, e.g. "blog/archive/2026/"."""
    newest = sorted(site.glob("blog/archive/*/index.html"))[-1]
    return newest.parent.relative_to(site).as_posix() + "/"


def category_of(site: Path) -> str:
    """The URL path of the first category page, e.g. "blog/category/concurrency/"."""
    first = sorted(site.glob("blog/category/*/index.html"))[0]
    return first.parent.relative_to(site).as_posix() + "/"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    chromium = chromium_path()
    if not chromium.exists():
        unavailable(
            f"{chromium} not found: install Debian's chromium package (`make chromium`), "
            "or set PICKLED_STATE_CHROMIUM to a Chromium binary",
            ci=on_ci(),
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, to be run in the page (never a copy bundled by a Python wrapper)."""
    path = axe_core_path()
    if not path.is_file():
        unavailable(
            f"axe-core not found at {path}: run `make axe-core` (it installs the "
            "Makefile's pinned axe-core from npm into .cache/node)",
            ci=on_ci(),
        )
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def axe_version(axe_source) -> str:
    package = json.loads((axe_core_path().parent / "package.json").read_text(encoding="utf-8"))
    return package["version"]


@pytest.fixture(scope="session")
def site_url(browser, built_site) -> Iterator[str]:
    """The strict build of the real site, served on localhost.

    It asks for `browser` first, so that without Chromium the tests skip before building.
    """
    with serve(built_site) as url:
        yield url


@pytest.fixture(params=list(WIDTHS), ids=lambda width: "phone" if width == PHONE else "desktop")
def width(request) -> int:
    """The viewport width: every browser test runs on a desktop and on a phone."""
    return request.param


@pytest.fixture
def color_scheme() -> str:
    """The reader's system preference, which picks the palette ("dark": slate).

    A test changes it with @pytest.mark.parametrize("color_scheme", [...]).
    """
    return "light"


@pytest.fixture
def context(browser, site_url, color_scheme, width) -> Iterator[BrowserContext]:
    """A first-time reader: no cache, no saved palette; on a phone, touch and no hover."""
    phone = width == PHONE
    context = browser.new_context(
        base_url=site_url,
        color_scheme=color_scheme,
        viewport={"width": width, "height": WIDTHS[width]},
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context) -> Page:
    return context.new_page()
