"""Browser fixtures: Debian's Chromium, driven by Playwright, reading the real built site."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from snippet_runner.devtools.preview import CHROMIUM, CHROMIUM_ARGS, serve

from ..conftest import PROJECT
from ..test_front_matter import split

POST = "caution-with-classes"  # the post most browser tests read


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
    (index,) = site.glob(f"blog/*/*/*/{slug}/index.html")
    return index.parent.relative_to(site).as_posix() + "/"


def archive_of(site: Path) -> str:
    """The URL path of the newest year of the blog archive, e.g. "blog/archive/2026/"."""
    newest = sorted(site.glob("blog/archive/*/index.html"))[-1]
    return newest.parent.relative_to(site).as_posix() + "/"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: install Debian's chromium package to run browser tests")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_url(browser, built_site) -> Iterator[str]:
    """The strict build of the real site, served on localhost.

    It asks for `browser` first, so that without Chromium the tests skip before building.
    """
    with serve(built_site) as url:
        yield url


@pytest.fixture
def color_scheme() -> str:
    """The reader's system preference, which picks the palette ("dark": slate).

    A test changes it with @pytest.mark.parametrize("color_scheme", [...]).
    """
    return "light"


@pytest.fixture
def context(browser, site_url, color_scheme) -> Iterator[BrowserContext]:
    """A first-time reader: no cache, no saved palette."""
    context = browser.new_context(base_url=site_url, color_scheme=color_scheme)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context) -> Page:
    return context.new_page()
