"""`make build`: a strict build into a private folder, moved into place only when it passes.

    python -m snippet_runner.devtools.build_site [--site DIR]

Two builds at once wait for each other (a lock), each builds into its own
temporary folder next to the site, and the finished site replaces the old one
by a rename: a reader of site/ sees the old site or the new one, never a mix.
A failed or interrupted build (Ctrl-C, SIGTERM) leaves its folder behind nowhere.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from . import PROJECT_ROOT


def _stop(signum, frame):  # noqa: ARG001
    raise SystemExit(128 + signum)


#: The project's strict build, into a folder given after ``-d``. Not --quiet: with it,
#: `mkdocs build --strict` no longer fails on warnings.
MKDOCS_BUILD = [sys.executable, "-m", "mkdocs", "build", "--strict"]


def strict_build(site: Path, root: Path = PROJECT_ROOT) -> None:
    """Build the site into ``site`` (for the screenshots and the page checks); raise on failure."""
    print(f"building the site into {site} ...", flush=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([*MKDOCS_BUILD, "-d", str(site)], cwd=root, check=True, env=env)


def build(site: Path, command: list[str], cwd: Path = PROJECT_ROOT) -> int:
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    lock_path = site.parent / f".{site.name}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second `make build` waits here
        work = Path(tempfile.mkdtemp(prefix=f".{site.name}.", dir=site.parent))
        try:
            status = subprocess.run([*command, "-d", str(work / "site")], cwd=cwd).returncode
            if status != 0:
                print(f"build failed (exit {status}): {site} is unchanged", file=sys.stderr)
                return status
            old = work / "old"
            if site.exists():
                site.rename(old)
            (work / "site").rename(site)
            return 0
        finally:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(PROJECT_ROOT), help="the folder of mkdocs.yml")
    parser.add_argument("--site", help="where the site goes (default: ROOT/site)")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    signal.signal(signal.SIGTERM, _stop)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return build(Path(args.site or root / "site"), MKDOCS_BUILD, cwd=root)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
