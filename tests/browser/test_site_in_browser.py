"""The built site as a reader's browser sees it: posts, outputs, search, palette, copy, feeds."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from ..conftest import PROJECT
from .conftest import POST, archive_of, page_of, published_posts

OUTPUT_LABEL = re.compile(r"^Output · CPython 3\.\d+\.\d+")
#: For what does not depend on the screen (lists, feeds, requests): the desktop only.
DESKTOP_ONLY = pytest.mark.parametrize("width", [1280], ids=["desktop"])


@DESKTOP_ONLY
def test_blog_index_lists_every_published_post(page, width):
    posts = published_posts()
    assert posts, "no published post found in docs/blog/posts"
    page.goto("blog/")
    shown = page.locator(".md-post h2").all_inner_texts()
    # Past one page of posts, the index continues on blog/page/2/, blog/page/3/, ...
    number = 2
    while page.goto(f"blog/page/{number}/").ok:
        shown += page.locator(".md-post h2").all_inner_texts()
        number += 1
    missing = [post.title for post in posts if post.title not in shown]
    assert not missing, f"published posts missing from the blog index: {missing}\nshown: {shown}"


def test_post_shows_the_outputs_of_its_executed_examples(page, built_site):
    source = (PROJECT.posts_dir / f"{POST}.md").read_text(encoding="utf-8")
    executed = source.count('exec="on"')
    page.goto(page_of(built_site, POST))
    results = page.locator(".snippet-result")
    assert results.count() == executed, f"{executed} executed examples, {results.count()} outputs"
    for result in results.all():
        output = result.locator(".snippet-output").first
        # The text, not innerText: a block out of sight is not rendered (extra.css).
        label = output.locator(".snippet-output-label").text_content()
        assert OUTPUT_LABEL.match(label), f"output not labelled with its interpreter: {label!r}"
        assert output.locator("code").first.text_content().strip(), f"no output under {label!r}"
    expect(results.first.locator(".snippet-output").first).to_be_visible()


def test_search_finds_a_post_by_a_word_of_its_body(page):
    word = "untouched"  # in the body of this post only, not in its title or excerpt
    assert word in (PROJECT.posts_dir / f"{POST}.md").read_text(encoding="utf-8"), "pick a new word"
    title = next(post.title for post in published_posts() if post.slug == POST)
    page.goto("")
    search = page.get_by_role("textbox", name="Search")
    button = page.locator('label.md-header__button[for="__search"]')
    if button.is_visible():  # on a phone, a button in the header opens the search
        button.click()
    search.click()
    # Typed key by key, as Material reads the query on key events.
    expect(page.locator(".md-search-result__meta")).to_have_text("Type to start searching")
    search.press_sequentially(word)
    result = page.locator(f".md-search-result__link[href*='/{POST}/']").first
    expect(result).to_be_visible()
    expect(result).to_contain_text(title)


def test_palette_toggle_switches_and_survives_a_reload(page):
    page.goto("")
    scheme = page.locator("body")
    expect(scheme).to_have_attribute("data-md-color-scheme", "default")
    page.get_by_title("Switch to dark mode").click()
    expect(scheme).to_have_attribute("data-md-color-scheme", "slate")
    page.reload()
    expect(scheme).to_have_attribute("data-md-color-scheme", "slate")
    page.get_by_title("Switch to light mode").click()
    expect(scheme).to_have_attribute("data-md-color-scheme", "default")
    page.reload()
    expect(scheme).to_have_attribute("data-md-color-scheme", "default")


def test_copy_button_copies_the_snippet(page, context, site_url, built_site):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page.goto(page_of(built_site, POST))
    name = "one_object_three_tasks.py"
    block = page.locator(".highlight").filter(has=page.locator(".filename", has_text=name)).first
    block.hover()
    block.get_by_title("Copy to clipboard").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    snippet = (PROJECT.snippets_dir / POST / name).read_text(encoding="utf-8")
    assert copied.rstrip("\n") == snippet.rstrip("\n"), f"the copy button did not copy {name}"


def test_version_tabs_switch(page, built_site):
    with_tabs = sorted(
        path
        for path in PROJECT.post_pages(built_site)
        if 'class="tabbed-set tabbed-alternate snippet-versions-tabs"' in path.read_text("utf-8")
    )
    if not with_tabs:
        pytest.skip(
            "no page has output tabs per CPython version (all printed the same, or one ran)"
        )
    page.goto(with_tabs[0].parent.relative_to(built_site).as_posix() + "/")
    tabs = (
        page.locator(".tabbed-set")
        .filter(has=page.locator(".tabbed-labels > label", has_text=re.compile(r"^CPython 3")))
        .first
    )
    labels, blocks = tabs.locator(".tabbed-labels > label"), tabs.locator(".tabbed-block")
    assert labels.count() >= 2
    expect(blocks.nth(0)).to_be_visible()
    expect(blocks.nth(1)).to_be_hidden()
    labels.nth(1).click()
    expect(blocks.nth(1)).to_be_visible()
    expect(blocks.nth(0)).to_be_hidden()
    expect(blocks.nth(1).locator(".snippet-output-label")).to_contain_text(
        labels.nth(1).inner_text()
    )


@DESKTOP_ONLY
@pytest.mark.parametrize("feed", ["feed_rss_created.xml", "sitemap.xml"])
def test_feed_and_sitemap_list_every_post(page, feed, width):
    response = page.request.get(feed)
    assert response.ok, f"{feed}: HTTP {response.status}"
    root = ET.fromstring(response.body())  # raises on malformed XML
    links = [e.text or "" for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("link", "loc")]
    missing = [p.slug for p in published_posts() if not any(f"/{p.slug}/" in u for u in links)]
    assert not missing, f"posts missing from {feed}: {missing}"


@DESKTOP_ONLY
def test_pages_request_nothing_from_other_hosts(page, built_site, site_url):
    # No web fonts, no GitHub API, no CDN: a reader's visit is not reported to anyone else.
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ["", page_of(built_site, POST), archive_of(built_site)]:
        page.goto(path, wait_until="networkidle")
    here = urlsplit(site_url).netloc
    elsewhere = [
        url
        for url in requested
        if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != here
    ]
    assert len(requested) > 3, "no request recorded"
    assert not elsewhere, "requests to other hosts:\n" + "\n".join(elsewhere)
