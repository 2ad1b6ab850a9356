"""Shared fixtures: a throwaway site that uses this project's executor."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from snippet_runner.blog import mkdocs_hooks
from snippet_runner.blog.layout import Layout
from snippet_runner.devtools import PROJECT_ROOT

#: This repository's site layout, as the build reads it from mkdocs.yml.
PROJECT = Layout.load(PROJECT_ROOT / "mkdocs.yml")
THIS_PYTHON = "%d.%d" % sys.version_info[:2]
HOOKS = Path(mkdocs_hooks.__file__)

MINI_CONFIG = f"""\
site_name: mini
strict: true
hooks:
  - {HOOKS}
markdown_extensions:
  - snippet_runner.blog.extension
  - pymdownx.snippets:
      base_path: [snippets]
      check_paths: true
  - pymdownx.superfences:
      custom_fences:
        - name: python
          class: python
          validator: !!python/name:snippet_runner.blog.fence.validator
          format: !!python/name:snippet_runner.blog.fence.formatter
  - pymdownx.tabbed:
      alternate_style: true
"""


@dataclass
class Build:
    returncode: int
    log: str
    site: Path

    def page(self, slug: str) -> str:
        return (self.site / "blog" / "posts" / slug / "index.html").read_text(encoding="utf-8")


class MiniSite:
    """A one-post MkDocs site in a temporary folder, built in a subprocess."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.default_env: dict[str, str] = {}
        (root / "docs" / "blog" / "posts").mkdir(parents=True)
        (root / "snippets").mkdir()
        (root / "mkdocs.yml").write_text(MINI_CONFIG)
        (root / "docs" / "index.md").write_text("# mini\n")

    def snippet(self, path: str, code: str, stdout: str | None = None, stderr: str | None = None):
        file = self.root / "snippets" / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(code))
        if stdout is not None:
            file.with_suffix(".stdout").write_text(stdout)
        if stderr is not None:
            file.with_suffix(".stderr").write_text(stderr)
        return file

    def post(self, slug: str, body: str) -> Path:
        path = self.root / "docs" / "blog" / "posts" / f"{slug}.md"
        path.write_text(f"# {slug}\n\n" + textwrap.dedent(body))
        return path

    def build(
        self, pythons: str = THIS_PYTHON, env: dict | None = None, timeout: float = 120
    ) -> Build:
        """Build with ``mkdocs build --strict``, running blocks under ``pythons`` only."""
        site = self.root / "site"
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={
                "PATH": os.environ["PATH"],
                "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
                "NO_MKDOCS_2_WARNING": "1",
                "SNIPPET_PYTHONS": pythons,
                "SNIPPET_CACHE_DIR": str(self.root / "cache"),
                **self.default_env,
                **(env or {}),
            },
        )
        return Build(proc.returncode, proc.stdout + proc.stderr, site)


@pytest.fixture
def mini_site(tmp_path) -> MiniSite:
    return MiniSite(tmp_path)


# -- the real site -------------------------------------------------------------


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The project's site, built once per test session with `mkdocs build --strict`."""
    site = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(site)],
        cwd=PROJECT.root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, "mkdocs build --strict failed:\n" + proc.stderr[-6000:]
    return site
