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
import time

import feedparser
import pytest

from .conftest import PROJECT
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
