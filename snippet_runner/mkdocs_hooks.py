"""MkDocs hooks: tell the executor which site it builds, and run its blocks before rendering."""

from __future__ import annotations

from snippet_runner import fence
from snippet_runner.settings import Layout

_layout: Layout | None = None


def on_config(config, **kwargs):  # noqa: ARG001
    global _layout
    _layout = Layout.from_mkdocs_config(config)
    return config


def on_pre_build(config, **kwargs) -> None:  # noqa: ARG001
    fence.start_build(_layout)
