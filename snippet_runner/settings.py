"""Every setting of the executor, read once from pyproject.toml and the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import tomllib

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

    @classmethod
    def from_root(cls, root: Path) -> Layout:
        return cls(root, root / "snippets", root / "docs" / "blog" / "posts")

    @classmethod
    def from_mkdocs_config(cls, config) -> Layout:
        """Read the layout of the site MkDocs is building (tests build small sites)."""
        root = Path(config["config_file_path"]).resolve().parent
        base = config["mdx_configs"].get("pymdownx.snippets", {}).get("base_path", ["snippets"])
        base = [base] if isinstance(base, str) else base
        return cls(root, root / base[0], Path(config["docs_dir"]) / "blog" / "posts")

    def rel(self, path: Path) -> Path:
        return path.relative_to(self.root) if path.is_relative_to(self.root) else path


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
