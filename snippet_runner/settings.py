"""Every setting of the executor, read once from pyproject.toml and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import tomllib
import yaml

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent
_CONFIG = tomllib.loads((_PACKAGE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
_OURS = _CONFIG["tool"]["snippet-runner"]

#: CPython versions every snippet runs under, oldest first.
PYTHONS: list[str] = list(_OURS["pythons"])

#: Seconds a block may run when its fence sets no ``timeout``.
DEFAULT_TIMEOUT = float(_OURS["timeout"])

#: Bytes of each stream kept for the page; the rest is counted, not stored,
#: so a runaway print loop cannot produce a 100 MB page or eat the memory.
OUTPUT_LIMIT = 64 * 1024

#: Lines of stderr quoted in a build error.
STDERR_TAIL_LINES = 20

# Switches from the environment, so that CI and one-off builds can set them
# without editing a file.
#: SNIPPET_EXECUTE=off shows sources without running them (the benchmark's baseline;
#: never for publishing, since outputs are then missing).
EXECUTE = os.environ.get("SNIPPET_EXECUTE", "on").lower() not in {"0", "off", "no", "false"}
#: SNIPPET_CACHE=off runs every block again, ignoring cached results.
CACHE_ENABLED = os.environ.get("SNIPPET_CACHE", "on").lower() not in {"0", "off", "no", "false"}
#: SNIPPET_PYTHONS_REQUIRED=1 (CI) makes a missing interpreter an error.
PYTHONS_REQUIRED = os.environ.get("SNIPPET_PYTHONS_REQUIRED", "") not in {"", "0", "no", "false"}
#: SNIPPET_PYTHONS="3.11 3.12" narrows the configured list for one run.
if os.environ.get("SNIPPET_PYTHONS"):
    PYTHONS = os.environ["SNIPPET_PYTHONS"].replace(",", " ").split()
#: SNIPPET_JOBS=N bounds parallel runs (default: the setting, else the CPU count).
JOBS = int(os.environ.get("SNIPPET_JOBS") or _OURS["jobs"] or os.cpu_count() or 1)

#: SNIPPET_FAILURES_FILE collects failed blocks, one JSON line each (for Zensical).
FAILURES_FILE = os.environ.get("SNIPPET_FAILURES_FILE", "")
#: SNIPPET_CACHE_DIR moves the cache (the executor's own tests use a temporary one).
CACHE_DIR = Path(os.environ.get("SNIPPET_CACHE_DIR") or _PACKAGE_ROOT / _OURS["cache-dir"])


@dataclass(frozen=True)
class Layout:
    """Where a site keeps its posts and snippets."""

    root: Path
    snippets_dir: Path
    posts_dir: Path
    site_path: str = "/"  # the path of site_url, where the built site is served
    repo_url: str = ""

    @classmethod
    def from_root(cls, root: Path) -> Layout:
        urls = _urls(root / "mkdocs.yml")
        return cls(root, root / "snippets", root / "docs" / "blog" / "posts", *urls)

    @classmethod
    def from_mkdocs_config(cls, config) -> Layout:
        """Read the layout of the site MkDocs is building (tests build small sites)."""
        root = Path(config["config_file_path"]).resolve().parent
        base = config["mdx_configs"].get("pymdownx.snippets", {}).get("base_path", ["snippets"])
        base = [base] if isinstance(base, str) else base
        posts = Path(config["docs_dir"]) / "blog" / "posts"
        urls = _urls(Path(config["config_file_path"]))
        return cls(root, root / base[0], posts, *urls)

    def download_url(self, snippet: Path) -> str:
        """Where the built site serves a snippet (docs/snippets links to snippets/)."""
        return f"{self.site_path}snippets/{snippet.relative_to(self.snippets_dir).as_posix()}"

    def source_url(self, snippet: Path) -> str:
        return f"{self.repo_url}/blob/main/{self.rel(snippet).as_posix()}" if self.repo_url else ""

    def rel(self, path: Path) -> Path:
        return path.relative_to(self.root) if path.is_relative_to(self.root) else path


class _ConfigLoader(yaml.SafeLoader):
    """A safe loader that reads mkdocs.yml's ``!!python/name:`` tags as None."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)


def read_mkdocs_config(config_file: Path) -> dict:
    """mkdocs.yml as plain data, for code that runs outside MkDocs (no import of the tags)."""
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}


def _urls(config_file: Path) -> tuple[str, str]:
    """site_url's path and repo_url from mkdocs.yml (Zensical runs no hook to pass them)."""
    if not config_file.is_file():
        return "/", ""
    config = read_mkdocs_config(config_file)
    path = urlparse(config.get("site_url") or "/").path or "/"
    return (path if path.endswith("/") else path + "/"), (config.get("repo_url") or "").rstrip("/")


#: This repository's layout (the package is installed in editable mode).
PROJECT = Layout.from_root(_PACKAGE_ROOT)


def run_environment(tmpdir: str) -> dict[str, str]:
    """The environment of every run: the same whatever the author's shell exports.

    Nothing is inherited but PATH, so PYTHONPATH, PYTHONWARNINGS, a virtualenv
    or a colour setting of the author's cannot change what a snippet prints.
    """
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": tmpdir,
        "TMPDIR": tmpdir,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        # Unbuffered, so a run stopped by a timeout still shows what it printed.
        "PYTHONUNBUFFERED": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "NO_COLOR": "1",
        "PYTHON_COLORS": "0",
        "TERM": "dumb",
        "COLUMNS": "80",
    }
