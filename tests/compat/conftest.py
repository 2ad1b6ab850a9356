"""markdown-exec's own tests, adapted: a Markdown instance configured from this repository's
mkdocs.yml (markdown-exec's ``md`` fixture, with the site's extensions), a real Build and
real runs, and snippet files under a temporary ``snippets/<slug>/`` instead of inline code."""

from __future__ import annotations

import importlib
import logging
import textwrap
from pathlib import Path

import markdown
import pytest
import yaml

from snippet_runner.blog.build import Build
from snippet_runner.blog.extension import SnippetExtension
from snippet_runner.blog.layout import read_mkdocs_config
from snippet_runner.devtools import PROJECT_ROOT

from ..blog.test_extension import Site

CONFIG = PROJECT_ROOT / "mkdocs.yml"
SLUG = "demo"


class _Names(yaml.SafeLoader):
    """Reads mkdocs.yml's ``!!python/name:a.b`` tags as the dotted names they are."""


_Names.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda _, suffix, __: suffix)
_Names.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


def custom_fences(config_file: Path = CONFIG) -> dict[str, dict]:
    """Each custom fence of mkdocs.yml, with its validator and formatter imported."""
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Names)
    fences = {}
    for entry in data["markdown_extensions"]:
        if isinstance(entry, dict) and "pymdownx.superfences" in entry:
            for fence in entry["pymdownx.superfences"].get("custom_fences", []):
                resolved = dict(fence)
                for key in ("validator", "format"):
                    module, _, name = fence[key].rpartition(".")
                    resolved[key] = getattr(importlib.import_module(module), name)
                fences[fence["name"]] = resolved
    return fences


def extensions_from_mkdocs_yml(build: Build, snippets: Path) -> tuple[list, dict]:
    """mkdocs.yml's markdown_extensions, as MkDocs would load them, for a throwaway site.

    read_mkdocs_config reads the ``!!python/name:`` tags as None: the custom fences
    get the functions those tags name. The site's extension gets the test's Build, and
    pymdownx.snippets the test's snippets folder.
    """
    names: list = []
    configs: dict = {}
    fences = custom_fences()
    for entry in read_mkdocs_config(CONFIG)["markdown_extensions"]:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        options = dict(options or {})
        if name == "snippet_runner.blog.extension":
            names.append(SnippetExtension(build=build))
            continue
        if name == "pymdownx.snippets":
            options["base_path"] = [str(snippets)]
        if name == "pymdownx.superfences":
            options["custom_fences"] = [
                {**fence, **fences[fence["name"]]} for fence in options["custom_fences"]
            ]
        names.append(name)
        configs[name] = options
    return names, configs


class Page:
    """One post of a throwaway site, converted like this site's pages."""

    def __init__(self, root: Path, cache: Path) -> None:
        self.site = Site(root)
        self.site.env["SNIPPET_CACHE_DIR"] = str(cache)
        self.build = self.site.build()
        names, configs = extensions_from_mkdocs_yml(self.build, root / "snippets")
        self.md = markdown.Markdown(extensions=names, extension_configs=configs)

    def snippet(self, name: str, code: str, stdout: str = "", stderr: str | None = None) -> str:
        """Write snippets/demo/<name>.py and what it prints; return the include path."""
        file = self.site.snippet(f"{SLUG}/{name}.py", code, textwrap.dedent(stdout))
        if stderr is not None:
            file.with_suffix(".stderr").write_text(textwrap.dedent(stderr))
        return f"{SLUG}/{name}.py"

    def convert(self, text: str) -> str:
        text = textwrap.dedent(text)
        self.site.post(SLUG, "Demo", text)
        self.md.reset()
        return self.md.convert(text)

    @property
    def toc(self) -> str:
        return self.md.toc  # type: ignore[attr-defined]


def fence(include: str, options: str = "", language: str = "python") -> str:
    """An executed block of ``include``, as an author writes it."""
    return f'```{language} exec="on" {options}\n--8<-- "{include}"\n```\n'


@pytest.fixture(scope="session")
def run_cache(tmp_path_factory) -> Path:
    # Shared by the suite: a snippet's runs are kept by its text, name, options and interpreter.
    return tmp_path_factory.mktemp("runs")


@pytest.fixture
def page(tmp_path, run_cache) -> Page:
    return Page(tmp_path, run_cache)


@pytest.fixture
def caplog_warnings(caplog):
    with caplog.at_level(logging.WARNING):
        yield caplog


def refused(page: Page, caplog, include: str, text: str) -> str:
    """The build error an author gets for a block of ``include``: logged, recorded, shown."""
    where = f"docs/blog/posts/{SLUG}.md: snippet snippets/{include}"
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any(m.startswith(where) and text in m for m in messages), messages
    recorded = ["\n".join([f["where"], *f["problems"]]) for f in page.build.failures]
    assert any(text in failure for failure in recorded), recorded  # the Zensical wrapper's list
    return "\n".join(messages)
