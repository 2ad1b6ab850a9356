"""Results on disk, so unchanged snippets never run again, across builds and reloads.

A result is stored under a key that covers everything that can change it (see
``results.Job.key``); a changed snippet, option or interpreter is a new key, so
nothing stale is ever shown. Only runs that kept their fence's promises are
stored: a failure is always retried.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from pathlib import Path

from . import settings
from .process import RunResult


def _path(key: str, root: Path) -> Path:
    return root / key[:2] / f"{key}.json"


def load(key: str, root: Path = settings.CACHE_DIR) -> RunResult | None:
    try:
        data = json.loads(_path(key, root).read_text(encoding="utf-8"))
        return RunResult(**data)
    except (OSError, ValueError, TypeError):
        return None  # absent or unreadable: run again


def store(key: str, result: RunResult, root: Path = settings.CACHE_DIR) -> None:
    path = _path(key, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a build stopped half-way never leaves half a file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as file:
        json.dump(dataclasses.asdict(result), file)
    os.replace(tmp, path)
