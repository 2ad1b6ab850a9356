"""The Python-Markdown extension that both MkDocs and Zensical load (``markdown_extensions``).

Before pymdownx.snippets expands include lines, its preprocessor:

- binds each executed python block to its snippet file by the include line
  (it adds ``snippet_file="<slug>/<name>.py"`` to the fence), so a block is
  never matched to a file by its text;
- runs the page's blocks that have no result yet, in parallel (under MkDocs
  the hook already ran the whole site's; under Zensical this is where they run);
- appends the series box to a post of the series, and puts the series'
  reading list where a page holds ``<!-- series -->``.

It also hands the Build to the fence formatter through the Markdown instance.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from markdown import Extension
from markdown.preprocessors import Preprocessor

from . import posts, quote, series
from .build import Build

#: The tree processor Material's blog adds to the Markdown instance that renders excerpts.
EXCERPT = "excerpt"
#: The attribute of the Markdown instance through which the formatter finds the Build.
ATTRIBUTE = "snippet_build"
_OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>`{3,}|~{3,})(?P<info>[^`\n]*)$")
_MD_LINK = re.compile(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)")
log = logging.getLogger("mkdocs.plugins.snippet_runner")
_OURS = re.compile(r'\s+snippet_file=("[^"]*"|\'[^\']*\'|\S+)')


class _Prepare(Preprocessor):
    def __init__(self, md, build: Build | None, config_file: str) -> None:
        super().__init__(md)
        self.given = build
        self.config_file = config_file

    def run(self, lines: list[str]) -> list[str]:
        # Zensical runs no hook: a Build per page; results are shared through the
        # cache. Made here, not in extendMarkdown: MkDocs also instantiates the
        # extensions once just to validate mkdocs.yml.
        self.site_build = self.given or Build.for_site(Path(self.config_file).resolve())
        setattr(self.md, ATTRIBUTE, self.site_build)
        lines = list(lines)
        if EXCERPT in self.md.treeprocessors:  # Material's blog renders a post's excerpt
            lines = posts.excerpt_source(lines, self.site_build.layout.excerpt_separator)
        self.md.snippet_blocks = 0  # per-page block counter, for unique ids
        jobs = []
        page_options: dict[str, dict] = {}
        for fence in posts.fences_in("\n".join(lines), Path("<page>")):
            index = fence.line - 1
            opened = _OPENING.match(lines[index])
            if opened is None:
                continue
            # An author cannot point a block at another file by hand.
            lines[index] = _OURS.sub("", lines[index])
            if fence.executed and fence.language not in posts.PYTHON:
                self._not_executed(fence)
                continue
            if not fence.executed:
                continue
            if fence.only_includes and len(fence.includes) == 1:
                include = fence.includes[0]
                lines[index] = lines[index].rstrip() + f' snippet_file="{include}"'
                jobs += self._jobs(include, fence.options)
                page_options.setdefault(include, fence.options)
        if jobs:
            self.site_build.run(jobs)
        text = "\n".join(lines)
        self._links_to_drafts(text)
        text = self._quotes(text, page_options)
        return self._series(text).split("\n")

    def _quotes(self, text: str, page_options: dict[str, dict]) -> str:
        """Fill ``[[printed: ...]]`` and ``[[versions: ...]]`` from the outputs (quote.py)."""
        if "[[" not in text or not self.site_build.config.execute:
            return text
        build = self.site_build

        def outputs(include: str) -> dict:
            snippet = posts.resolve_include(include, build.layout, include)
            results = build.results(snippet, build.options(page_options.get(include, {})))
            return {i: build.shown(snippet, result).stdout for i, result in results.items()}

        where = f"'{series.title_of(text) or 'a page'}'"
        try:
            return quote.fill(text, outputs, where)
        except (quote.QuoteError, posts.PostError, OSError) as error:
            log.warning(str(error))
            return text

    def _not_executed(self, fence: posts.Fence) -> None:
        """``python3 exec="on"`` (or pycon, md...) would silently not run: fail instead."""
        build = self.site_build
        snippet = fence.includes[0] if len(fence.includes) == 1 else ""
        where = build.where(build.layout.snippets_dir / snippet) if snippet else "a page"
        message = (
            f"{where}: a {fence.language} block is not executed here (only ```python and "
            "```py are); write ```python"
        )
        if not any(
            failure["where"] == where and message in failure["problems"]
            for failure in build.failures
        ):
            build.fail(where, [message])
            log.warning(message)

    def _links_to_drafts(self, text: str) -> None:
        """A published page must not link to a draft (MkDocs only logs that at INFO)."""
        build = self.site_build
        if build.drafts_visible or not build.drafts:
            return
        title = series.title_of(text) or "a page"
        for target in _MD_LINK.findall(text):
            if Path(target).stem in build.drafts and Path(target).name.endswith(".md"):
                log.warning(
                    f"'{title}' links to {target}, a draft: the link would be broken on the "
                    "published site. Publish the draft first, or remove the link."
                )

    def _jobs(self, include: str, options: dict[str, str]) -> list:
        build = self.site_build
        if not build.config.execute:
            return []
        try:
            snippet = posts.resolve_include(include, build.layout, "")
            return build.jobs(snippet, build.options(options))
        except Exception:  # noqa: BLE001 - the formatter reports it, naming the post
            return []

    def _series(self, text: str) -> str:
        parts = self.site_build.series
        if not parts:
            return text
        title = series.title_of(text)
        for part in parts:
            if part.title == title:
                name = self.site_build.layout.series_name
                return text.rstrip("\n") + "\n\n" + series.navigation(parts, part.slug, name)
        if series.MARKER in text:
            posts_prefix = (
                self.site_build.layout.posts_dir.relative_to(
                    self.site_build.layout.docs_dir
                ).as_posix()
                + "/"
            )
            return text.replace(series.MARKER, series.reading_list(parts, posts_prefix))
        return text


class SnippetExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            # Not None: Python-Markdown turns a None-default option into a bool.
            "build": ["", "the Build of this site build (MkDocs' hook passes it)"],
            "config_file": ["mkdocs.yml", "the site's config, when no Build is passed (Zensical)"],
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        build = self.getConfig("build")
        prepare = _Prepare(
            md, build if isinstance(build, Build) else None, self.getConfig("config_file")
        )
        # Before pymdownx.snippets (32) expands the include lines.
        md.preprocessors.register(prepare, "snippet_runner", 40)


def makeExtension(**kwargs) -> SnippetExtension:  # noqa: N802 - Python-Markdown's name
    return SnippetExtension(**kwargs)
