"""What a build adds to the built site after the pages: the link-preview cards and the
snippet files readers download. Both generators call it (MkDocs' hook, the Zensical
wrapper), and a draft contributes nothing: no card, no snippet file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from ..executor.options import OptionError
from . import cards, posts
from .build import Build
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


def printed_by(build: Build, site_dir: Path) -> Path:
    """``site/interpreters.json``: the exact interpreters that printed each post's outputs."""
    found = {}
    for snippet, fences in posts.executions(build.layout).items():
        versions = found.setdefault(snippet.parent.name, set())
        for fence in fences:
            try:
                options = build.options(fence.options)
            except OptionError:
                continue
            versions |= {i.version for i in build.interpreters if options.runs_on(i.version)}
    record = {
        "interpreters": [
            {"version": i.version, "implementation": i.implementation, "label": i.label}
            for i in build.interpreters
        ],
        "posts": {
            slug: sorted(v, key=lambda x: tuple(map(int, x.split("."))))
            for slug, v in sorted(found.items())
        },
    }
    path = site_dir / "interpreters.json"
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return path


def after_build(build: Build, site_dir: Path) -> None:
    kept = build.config.cache_dir / "cards" if build.config.cache else None
    cards.draw_all(build.layout, site_dir, kept)
    snippet_downloads(build.layout, site_dir)
    if build.config.execute:
        printed_by(build, site_dir)
