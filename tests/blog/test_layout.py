"""Where things are, read from mkdocs.yml as MkDocs and Material's blog read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from snippet_runner.blog.layout import Layout

from ..conftest import PROJECT


def layout(blog: dict | None = None) -> Layout:
    plugins = [{"blog": blog}] if blog is not None else ["blog"]
    return Layout.from_config({"site_name": "x", "plugins": plugins}, Path("/project"))


@pytest.mark.parametrize(
    ("blog", "pattern"),
    [
        (None, "blog/*/*/*/{slug}/index.html"),
        ({"blog_dir": "news/"}, "news/*/*/*/{slug}/index.html"),
        ({"post_url_format": "{slug}"}, "blog/{slug}/index.html"),
        ({"post_url_date_format": "yyyy/MM"}, "blog/*/*/{slug}/index.html"),
        ({"post_url_format": "{categories}/{slug}"}, "blog/*/{slug}/index.html"),
        (
            {"post_url_format": "{date}/{file}", "post_url_date_format": "yyyy"},
            "blog/*/*/index.html",
        ),
    ],
)
def test_the_post_page_glob_follows_the_blog_settings(blog, pattern):
    assert layout(blog).post_page_glob == pattern


def test_post_pages_finds_the_built_pages(tmp_path):
    for slug in ("one", "two"):
        page = tmp_path / "blog/2026/11/29" / slug / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(slug)
    (tmp_path / "blog/index.html").write_text("the index is not a post")
    found = layout().post_pages(tmp_path)
    assert [p.parent.name for p in found] == ["one", "two"]
    assert layout().post_pages(tmp_path, "two") == [found[1]]


def test_the_excerpt_separator_is_the_blogs():
    assert layout().excerpt_separator == "<!-- more -->"
    assert layout({"post_excerpt_separator": "<!-- cut -->"}).excerpt_separator == "<!-- cut -->"


def test_this_project_reads_its_own_settings():
    assert PROJECT.post_page_glob == "blog/*/*/*/{slug}/index.html"
    assert PROJECT.posts_dir == PROJECT.root / "docs/blog/posts"
