"""MkDocs hooks: what only MkDocs needs on top of the Markdown extension.

- one Build per build (each `mkdocs serve` reload is a new build), handed to the
  extension through its config, so every page of the build shares it: the
  blog's extra renders of a post reuse its blocks, and the whole site's blocks
  run in parallel before the first page renders;
- a post without `date.updated` counts as last updated when it was created: the
  RSS plugin would otherwise date it by the build, and every deploy would announce
  every post as updated;
- after the build, the card images and the snippet downloads (the Zensical
  wrapper calls the same function).

The hooks keep no state of their own: the Build lives in MkDocs' config.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError

from snippet_runner.blog import posts, publish
from snippet_runner.blog.build import Build, SetupError
from snippet_runner.blog.layout import Layout
from snippet_runner.executor.config import Config, ConfigError, parse_bool

EXTENSION = "snippet_runner.blog.extension"


def _build(config) -> Build:
    return config.mdx_configs[EXTENSION]["build"]


def on_config(config, **kwargs):  # noqa: ARG001
    if EXTENSION not in config.markdown_extensions:
        raise ValueError(f"mkdocs.yml: add `- {EXTENSION}` to markdown_extensions")
    layout = Layout.load(Path(config.config_file_path))
    found = posts.problems(layout)
    if found:  # MkDocs prints a PluginError as one message, not a traceback
        raise PluginError("posts that cannot be built:\n  " + "\n  ".join(found))
    try:
        build = Build(layout, Config.load(layout.root))
    except (ConfigError, SetupError, posts.PostError, ValueError) as error:
        raise PluginError(str(error)) from None
    # Material's blog shows drafts under `mkdocs serve` (draft_on_serve) and never in a
    # build, except CI's preview (PICKLED_STATE_DRAFTS=true): its lists mark them "Draft".
    blog = config.plugins.get("material/blog")
    build.serving = bool(blog and blog.is_serve)
    try:
        preview = parse_bool(
            os.environ.get("PICKLED_STATE_DRAFTS", "off"), name="PICKLED_STATE_DRAFTS"
        )
    except ConfigError as error:
        raise PluginError(str(error)) from None
    if blog and preview:
        blog.config.draft = True
    build.drafts_visible = bool(blog) and (
        preview or (build.serving and blog.config.draft_on_serve)
    )
    config.mdx_configs.setdefault(EXTENSION, {})["build"] = build
    return config


def on_pre_build(config, **kwargs) -> None:  # noqa: ARG001
    _build(config).start()


def on_page_markdown(markdown, page, **kwargs):  # noqa: ARG001
    date = page.meta.get("date")
    if isinstance(date, dict) and date.get("created") and not date.get("updated"):
        page.meta["date"] = {**date, "updated": date["created"]}  # a copy: Material's stays
    return markdown


def on_post_build(config, **kwargs) -> None:  # noqa: ARG001
    build = _build(config)
    build.finish()
    publish.after_build(build, Path(config.site_dir))
