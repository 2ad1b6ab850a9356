"""MkDocs hooks: run every example before pages render, and add the series navigation."""

from __future__ import annotations

from pathlib import Path

from snippet_runner import cards, fence, series
from snippet_runner.settings import Layout

_layout: Layout | None = None


def on_config(config, **kwargs):  # noqa: ARG001
    global _layout
    _layout = Layout.from_mkdocs_config(config)
    return config


def on_pre_build(config, **kwargs) -> None:  # noqa: ARG001
    fence.start_build(_layout)


def on_page_markdown(markdown: str, page, config, **kwargs) -> str:  # noqa: ARG001
    settings = config.extra.get("series")
    if not settings:
        return markdown
    parts = series.parts(Path(config["docs_dir"]) / "blog" / "posts", settings["posts"])
    src = Path(page.file.src_uri)
    if src.parent.as_posix() == "blog/posts" and src.stem in {p.slug for p in parts}:
        return markdown.rstrip("\n") + "\n\n" + series.navigation(parts, src.stem, settings["name"])
    if series.MARKER in markdown:
        return markdown.replace(series.MARKER, series.reading_list(parts, "blog/posts/"))
    return markdown


def on_post_build(config, **kwargs) -> None:  # noqa: ARG001
    """Draw the social preview cards the pages' Open Graph tags point to."""
    site = Path(config["site_dir"])
    name = config["site_name"]
    cards.draw(site / "assets/cards/site.png", name, name, config["site_description"] or "")
    posts = Path(config["docs_dir"]) / "blog" / "posts"
    for post in sorted(posts.glob("*.md")):
        part = series.parts(posts, [post.stem])[0]
        cards.draw(site / f"assets/cards/{post.stem}.png", name, part.title, part.description)
