"""What a build adds to the built site after the pages: the link-preview cards and the
snippet files readers download. Both generators call it (MkDocs' hook, the Zensical
wrapper), and a draft contributes nothing: no card, no snippet file."""

from __future__ import annotations

import shutil
from pathlib import Path

from . import cards, posts
from .layout import Layout


def snippet_downloads(layout: Layout, site_dir: Path) -> list[Path]:
    """Copy the snippet files of published posts to ``site/snippets/<slug>/``."""
    target_root = site_dir / "snippets"
    shutil.rmtree(target_root, ignore_errors=True)
    copied = []
    for post in posts.published(layout):
        for snippet in sorted((layout.snippets_dir / post.stem).glob("*.py")):
            if snippet.is_symlink() or not snippet.is_file():
                continue  # never publish what a link points to
            target = target_root / post.stem / snippet.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(snippet, target)
            copied.append(target)
    return copied


def after_build(layout: Layout, site_dir: Path) -> None:
    cards.draw_all(layout, site_dir)
    snippet_downloads(layout, site_dir)
