"""A copy of the project's working tree, for builds that must not touch it
(the benchmark, the Zensical comparison)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from . import PROJECT_ROOT


def copy_project(dest: Path) -> Path:
    """Copy tracked and new files (nothing git ignores) into ``dest``."""
    names = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    for name in names:
        source, target = PROJECT_ROOT / name, dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():  # docs/snippets -> ../snippets
            target.symlink_to(os.readlink(source))
        elif source.is_file():
            shutil.copy2(source, target)
    return dest
