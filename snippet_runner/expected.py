"""Committed expected outputs: one reviewable file per stream, next to the snippet.

``snippets/<slug>/<name>.py`` has ``<name>.stdout`` and, when it writes to
stderr, ``<name>.stderr``. A line that is exactly ``...`` matches any number of
lines; ``...`` inside a line matches any text on that line (timings, pids,
paths). ``pytest --update-examples`` rewrites a file only when it no longer
matches, so hand-placed wildcards survive updates.
"""

from __future__ import annotations

import difflib
import functools
import re
from pathlib import Path

from .process import RunResult

STREAMS = ("stdout", "stderr")
WILDCARD = "..."


def path_for(snippet: Path, stream: str) -> Path:
    return snippet.with_suffix(f".{stream}")


def read(snippet: Path, stream: str) -> str | None:
    """The expected text of a stream, or None when no file is committed.

    A missing stderr file means "stderr must be empty".
    """
    path = path_for(snippet, stream)
    if path.exists():
        return path.read_text(encoding="utf-8")
    return "" if stream == "stderr" else None


@functools.lru_cache(maxsize=512)
def _pattern(expected: str) -> re.Pattern[str]:
    parts = []
    for line in expected.splitlines(keepends=True):
        if line.rstrip("\n") == WILDCARD:
            parts.append(r"(?:[^\n]*\n)*?")  # any number of whole lines
        else:
            pieces = line.split(WILDCARD)
            parts.append(r"[^\n]*?".join(re.escape(piece) for piece in pieces))
    return re.compile("".join(parts))


def matches(expected: str, actual: str) -> bool:
    return _pattern(expected).fullmatch(actual) is not None


def diff(expected: str, actual: str, path: Path) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        fromfile=f"{path} (expected)",
        tofile=f"{path} (this run)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def text_of(result: RunResult, stream: str) -> str:
    return getattr(result, stream)


def problems(snippet: Path, result: RunResult, *, root: Path) -> list[str]:
    """Each stream that does not match its expected file, with a diff."""
    found = []
    for stream in STREAMS:
        path = path_for(snippet, stream)
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        expected = read(snippet, stream)
        actual = text_of(result, stream)
        if expected is None:
            found.append(
                f"{shown} is missing: write it with "
                f"`pytest --update-examples tests/test_snippets.py`, then review it."
            )
        elif not matches(expected, actual):
            found.append(
                f"{stream} no longer matches {shown}. If the change is right, "
                f"run `pytest --update-examples tests/test_snippets.py` and review "
                f"the diff (use `...` for parts that vary):\n\n"
                + diff(expected, actual, shown)
            )
    return found


def update(snippet: Path, result: RunResult) -> list[Path]:
    """Rewrite the expected files that no longer match; return those written."""
    written = []
    for stream in STREAMS:
        path = path_for(snippet, stream)
        expected = read(snippet, stream)
        actual = text_of(result, stream)
        if expected is not None and matches(expected, actual):
            continue
        if stream == "stderr" and not actual:
            path.unlink(missing_ok=True)
        else:
            path.write_text(actual, encoding="utf-8")
        written.append(path)
    return written
