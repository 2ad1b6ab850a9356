"""The real site: a strict build, then every internal link of the built HTML."""

from __future__ import annotations

import email.utils
import html
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

from snippet_runner.blog.posts import REST
from snippet_runner.devtools.preview import serve

from .conftest import PROJECT
from .test_front_matter import is_draft


def test_strict_build_renders_every_published_post(built_site):
    posts = sorted(p.stem for p in PROJECT.posts_dir.glob("*.md") if not is_draft(p))
    pages = {p.parent.name for p in PROJECT.post_pages(built_site)}
    assert set(posts) <= pages, f"posts without a page: {set(posts) - pages}"


@pytest.fixture(scope="session")
def served_site(built_site) -> Iterator[str]:
    """The built site over HTTP on localhost, as a reader's browser gets it."""
    with serve(built_site) as url:
        yield url


def test_internal_links_resolve(served_site):
    # linkchecker also catches links to drafts, which `mkdocs build --strict` lets
    # through. It checks only links on the site's own host (it runs offline).
    proc = subprocess.run(
        [
            str(Path(sys.executable).with_name("linkchecker")),
            "--no-status",
            "--no-warnings",
            served_site,
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, "broken internal links:\n" + proc.stdout[-6000:]


# -- what readers' tools get: feed, sitemap, metadata ------------------------------

SITE_URL = "https://pickled-state.github.io/"


def _published_posts() -> dict[str, dict]:
    from .test_front_matter import split

    posts = {}
    for post in PROJECT.posts_dir.glob("*.md"):
        meta, _ = split(post)
        if not meta.get("draft"):
            posts[post.stem] = meta
    return posts


def _post_pages(built_site) -> dict[str, Path]:
    return {p.parent.name: p for p in PROJECT.post_pages(built_site)}


def test_rss_feed_is_valid_and_dated_by_the_posts(built_site):
    channel = ElementTree.parse(built_site / "feed_rss_created.xml").getroot().find("channel")
    for tag in ("title", "link", "description"):
        assert (channel.findtext(tag) or "").strip(), f"the feed's channel has no <{tag}>"
    items = {item.findtext("link"): item for item in channel.findall("item")}
    for slug, meta in _published_posts().items():
        (link,) = [url for url in items if url.rstrip("/").endswith("/" + slug)]
        item = items[link]
        assert link.startswith(SITE_URL) and item.findtext("title") and item.findtext("guid")
        published = email.utils.parsedate_to_datetime(item.findtext("pubDate")).date()
        # pubDate comes from date.created, never from the build time.
        assert published == meta["date"]["created"], f"{slug}: pubDate {published}"


def test_sitemap_lists_every_published_post(built_site):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.parse(built_site / "sitemap.xml").getroot()
    urls = {loc.text for loc in root.findall("s:url/s:loc", namespace)}
    for slug in _published_posts():
        assert any(url.rstrip("/").endswith("/" + slug) for url in urls), slug


def _meta(page: str, attribute: str, name: str) -> str | None:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', page)
    return html.unescape(found.group(1)) if found else None


def test_each_post_has_canonical_url_description_and_preview_card(built_site):
    pages = _post_pages(built_site)
    for slug, meta in _published_posts().items():
        page = pages[slug].read_text(encoding="utf-8")
        url = SITE_URL + pages[slug].parent.relative_to(built_site).as_posix() + "/"
        assert f'<link rel="canonical" href="{url}">' in page, slug
        description = " ".join(meta["description"].split())
        assert _meta(page, "name", "description") == description, slug
        assert _meta(page, "property", "og:description") == description, slug
        assert _meta(page, "property", "og:url") == url, slug
        assert _meta(page, "property", "og:image") == f"{SITE_URL}assets/cards/{slug}.png", slug
        assert (built_site / f"assets/cards/{slug}.png").stat().st_size > 10_000, slug


def test_there_is_a_404_page(built_site):
    page = (built_site / "404.html").read_text(encoding="utf-8")
    assert "<h1>404 - Not found</h1>" in page
    # Served at any depth, so its links must be absolute: the stylesheet and the home link.
    assert 'href="/assets/stylesheets/main.' in page and 'href="/."' in page


def test_downloads_are_the_exact_files_that_ran(built_site):
    for slug, page in _post_pages(built_site).items():
        text = page.read_text(encoding="utf-8")
        for href in re.findall(r'<a href="(/snippets/[^"]+\.py)" download>', text):
            served = built_site / href.lstrip("/")
            assert served.read_bytes() == (PROJECT.root / href.lstrip("/")).read_bytes(), href
        assert "download>Download" in text, f"{slug}: no download link"


def test_no_page_shows_an_unexecuted_block_or_a_build_error(built_site):
    # A block the executor did not format would be published as its raw fence.
    for page in built_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'exec="on"' not in text and "exec=&quot;on&quot;" not in text, page
        assert "snippet-error" not in text, page


def test_the_site_records_the_interpreters_that_printed_each_post(built_site):
    import json

    record = json.loads((built_site / "interpreters.json").read_text(encoding="utf-8"))
    versions = [i["version"] for i in record["interpreters"]]
    assert versions and all(re.fullmatch(r"3\.\d+\.\d+", v) for v in versions), versions
    assert set(record["posts"]) == set(_published_posts())
    for slug, printed in record["posts"].items():
        assert printed and set(printed) <= set(versions), slug


def test_version_tabs_only_where_versions_satisfy_different_expected_files(built_site):
    # Outputs that differ only in what varies from run to run (a pid, a timing, a race's
    # count: wildcards and redactions) share one tab; a tab is a real behaviour change.
    from snippet_runner.executor import expected

    head = re.compile(r'id="snippet-(.+?)-(\w+)-\d+">')
    checked = 0
    for page in PROJECT.post_pages(built_site):
        for block in page.read_text(encoding="utf-8").split('<div class="snippet-result" ')[1:]:
            slug, name = head.match(block).groups()
            labels = re.findall(
                r'<label for="__snippet_[^"]+">(?:<[^>]+>)*CPython (?:<[^>]+>)*([0-9.]+)', block
            )
            if len(labels) < 2:
                continue
            snippet = PROJECT.snippets_dir / slug / f"{name}.py"
            governing = [
                tuple(
                    expected.expected_for(snippet, s, tuple(map(int, v.split("."))))[1]
                    for s in expected.STREAMS
                )
                for v in labels
            ]
            assert len(set(governing)) == len(governing), (
                f"{page}: {name} tabs {labels} satisfy the same expected text"
            )
            checked += 1
    assert checked, "no page has version tabs"


def test_the_blog_lists_show_each_excerpt_and_where_to_continue(built_site):
    # Excerpts are rendered from the post cut after its separator (posts.excerpt_source):
    # the lists must still show the excerpt and a "Continue reading" link to each post.
    pages = _post_pages(built_site)
    listed = "".join(
        page.read_text("utf-8") for page in built_site.glob("blog/**/index.html")
        if page not in pages.values()
    )  # fmt: skip
    for slug in _published_posts():
        continue_link = re.search(
            rf'<a href="[^"]*{re.escape(slug)}/"[^>]*>\s*Continue reading\s*</a>', listed
        )
        assert continue_link, f"no 'Continue reading' link to {slug} in the blog's lists"
    # The stand-in for a post's rest is never shown; a post that writes it itself must reword.
    assert REST not in listed, f"the blog's lists show {REST!r}: reword it in the post"
