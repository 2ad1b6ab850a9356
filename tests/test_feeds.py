"""The feeds as a feed reader sees them: each post dated by what happened to it.

The "created" feeds date a post by ``date.created``. The "updated" feeds date it by
``date.updated``, or, where a post has none, by ``date.created``: a post nobody changed
was last updated when it was written. (mkdocs-rss-plugin used the build time there, so
every deploy announced every post as updated.) RSS is read with feedparser, as readers
do; the JSON feeds with json.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time

import feedparser
import pytest

from snippet_runner.blog.layout import read_mkdocs_config

from .conftest import HOOKS, PROJECT, THIS_PYTHON
from .test_front_matter import split


def expected_dates() -> dict[str, tuple[datetime.date, datetime.date]]:
    """Slug -> (created, updated) of every published post, from its front matter."""
    dates = {}
    for path in sorted(PROJECT.posts_dir.glob("*.md")):
        meta, _ = split(path)
        if meta.get("draft"):
            continue
        date = meta["date"]
        created = date["created"] if isinstance(date, dict) else date
        updated = date.get("updated", created) if isinstance(date, dict) else created
        dates[path.stem] = (created, updated)
    return dates


def slug_of(link: str, slugs) -> str:
    (slug,) = [slug for slug in slugs if f"/{slug}/" in link]
    return slug


def day(parsed: time.struct_time) -> datetime.date:
    return datetime.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)


@pytest.mark.parametrize(("feed", "which"), [("created", 0), ("updated", 1)])
def test_rss_feeds_date_each_post_by_its_front_matter(built_site, feed, which):
    expected = expected_dates()
    parsed = feedparser.parse((built_site / f"feed_rss_{feed}.xml").read_bytes())
    assert not parsed.bozo, f"feed_rss_{feed}.xml is not well-formed: {parsed.bozo_exception}"
    found = {slug_of(entry.link, expected): day(entry.published_parsed) for entry in parsed.entries}
    assert set(found) == set(expected), f"feed_rss_{feed}.xml lists {sorted(found)}"
    wrong = {slug: (found[slug], dates[which]) for slug, dates in expected.items()}
    wrong = {slug: pair for slug, pair in wrong.items() if pair[0] != pair[1]}
    assert not wrong, f"feed_rss_{feed}.xml (found, front matter): {wrong}"


@pytest.mark.parametrize("feed", ["created", "updated"])
def test_json_feeds_date_each_post_by_its_front_matter(built_site, feed):
    expected = expected_dates()
    items = json.loads((built_site / f"feed_json_{feed}.json").read_text("utf-8"))["items"]
    found = {
        slug_of(item["url"], expected): (
            datetime.date.fromisoformat(item["date_published"][:10]),
            datetime.date.fromisoformat(item["date_modified"][:10]),
        )
        for item in items
    }
    assert set(found) == set(expected), f"feed_json_{feed}.json lists {sorted(found)}"
    wrong = {slug: (found[slug], dates) for slug, dates in expected.items() if found[slug] != dates}
    assert not wrong, f"feed_json_{feed}.json (found, front matter): {wrong}"


# -- the same settings on posts written long before the build -------------------------
# The project's posts may all carry `date.updated` (or be dated the day of the build),
# which would hide a feed dated by the build time: a one-post-a-date blog with the
# project's own rss settings and hooks, built now, holds posts from 2024.

FEED_SITE = """\
site_name: feeds
site_url: https://example.org/
theme:
  name: material
  font: false
hooks:
  - {hooks}
plugins:
  - blog:
      post_excerpt: optional
  - rss: {rss}
markdown_extensions:
  - snippet_runner.blog.extension
"""


def test_a_post_without_date_updated_was_last_updated_when_written(tmp_path):
    rss = next(
        entry["rss"]
        for entry in read_mkdocs_config(PROJECT.root / "mkdocs.yml")["plugins"]
        if isinstance(entry, dict) and "rss" in entry
    )
    (tmp_path / "docs" / "blog" / "posts").mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# feeds\n")
    (tmp_path / "docs" / "blog" / "index.md").write_text("# Blog\n")
    (tmp_path / "mkdocs.yml").write_text(
        FEED_SITE.format(hooks=HOOKS, rss=json.dumps(rss))  # JSON is YAML
    )
    posts = {"untouched": "date:\n  created: 2024-01-10", "revised": (
        "date:\n  created: 2024-01-10\n  updated: 2024-02-01")}  # fmt: skip
    for slug, date in posts.items():
        text = f"---\n{date}\ndescription: {slug}\n---\n\n# {slug.title()}\n\nText.\n"
        (tmp_path / "docs" / "blog" / "posts" / f"{slug}.md").write_text(text)
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SNIPPET_PYTHONS": THIS_PYTHON},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    updated = feedparser.parse((tmp_path / "site" / "feed_rss_updated.xml").read_bytes())
    found = {slug_of(e.link, posts): day(e.published_parsed) for e in updated.entries}
    assert found == {
        "untouched": datetime.date(2024, 1, 10),
        "revised": datetime.date(2024, 2, 1),
    }, f"feed_rss_updated.xml, built on {datetime.date.today()}"
