"""MkDocs hooks: run every example before pages render, and add the series navigation."""

from __future__ import annotations

from pathlib import Path

from snippet_runner import cards, fence, series
from snippet_runner.settings import Layout

_layout: Layout | None = None
_series: list[series.Part] = []  # read once per build, used by every page


def on_config(config, **kwargs):  # noqa: ARG001
    global _layout
    _layout = Layout.from_mkdocs_config(config)
    return config


def _posts_dir(config) -> Path:
    return Path(config["docs_dir"]) / "blog" / "posts"


def on_pre_build(config, **kwargs) -> None:  # noqa: ARG001
    global _series
    fence.start_build(_layout)
    listed = config.extra.get("series")
    _series = series.parts(_posts_dir(config), listed["posts"]) if listed else []


def on_page_markdown(markdown: str, page, config, **kwargs) -> str:  # noqa: ARG001
    if not _series:
        return markdown
    src = Path(page.file.src_uri)
    if src.parent.as_posix() == "blog/posts" and src.stem in {p.slug for p in _series}:
        name = config.extra["series"]["name"]
        return markdown.rstrip("\n") + "\n\n" + series.navigation(_series, src.stem, name)
    if series.MARKER in markdown:
        return markdown.replace(series.MARKER, series.reading_list(_series, "blog/posts/"))
    return markdown


def on_post_build(config, **kwargs) -> None:  # noqa: ARG001
    """Draw the social preview cards the pages' Open Graph tags point to."""
    site = Path(config["site_dir"])
    name = config["site_name"]
    cards.draw(site / "assets/cards/site.png", name, name, config["site_description"] or "")
    posts = _posts_dir(config)
    for part in series.parts(posts, sorted(post.stem for post in posts.glob("*.md"))):
        cards.draw(site / f"assets/cards/{part.slug}.png", name, part.title, part.description)
