"""Committed expected outputs: one reviewable file per stream, next to the snippet.

``snippets/<slug>/<name>.py`` has ``<name>.stdout`` and, when it writes to
stderr, ``<name>.stderr``. Where a CPython version prints something else, that
version has its own file, e.g. ``<name>.3.13.stdout``; the plain file holds
what the other versions print.

A line that is exactly ``...`` matches any number of lines; ``...`` inside a
line matches any text on that line (timings, pids, paths).
``pytest --update-examples`` rewrites a file only when it no longer matches,
so hand-placed wildcards survive updates.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import Counter
from pathlib import Path

from .process import RunResult

STREAMS = ("stdout", "stderr")
WILDCARD = "..."


def path_for(snippet: Path, stream: str, minor: str | None = None) -> Path:
    middle = f".{minor}" if minor else ""
    return snippet.with_name(f"{snippet.stem}{middle}.{stream}")


def snippet_of(expected_file: Path) -> Path:
    """``chunks.3.13.stdout`` -> ``chunks.py``."""
    return expected_file.with_name(expected_file.name.split(".", 1)[0] + ".py")


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def expected_for(snippet: Path, stream: str, minor: str) -> tuple[Path, str | None]:
    """The file that holds what ``minor`` should print, and its text.

    No file at all means "nothing" for stderr, and "not written yet" for stdout.
    """
    for path in (path_for(snippet, stream, minor), path_for(snippet, stream)):
        if (text := _read(path)) is not None:
            return path, text
    return path_for(snippet, stream), ("" if stream == "stderr" else None)


@functools.lru_cache(maxsize=1024)
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


def problems(snippet: Path, result: RunResult, minor: str, *, root: Path) -> list[str]:
    """Each stream of ``minor``'s run that does not match its expected file, with a diff."""
    found = []
    for stream in STREAMS:
        path, expected = expected_for(snippet, stream, minor)
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        actual = getattr(result, stream)
        if expected is None:
            found.append(
                f"{shown} is missing: write it with `make update-examples` "
                f"(pytest --update-examples tests/test_snippets.py), then review it."
            )
        elif not matches(expected, actual):
            found.append(
                f"{stream} of CPython {minor} no longer matches {shown}. If the change is "
                f"right, run `make update-examples` (pytest --update-examples "
                f"tests/test_snippets.py) and review the diff; use `...` for parts that "
                f"vary:\n\n" + diff(expected, actual, shown)
            )
    return found


def update(snippet: Path, results: dict[str, RunResult]) -> list[Path]:
    """Rewrite what no longer matches, given each available version's result.

    The plain file keeps what most versions print (the newest wins a tie);
    a version that prints something else gets its own file. Files of versions
    that did not run here are left alone. Returns the files written or removed.
    """
    changed = []
    for stream in STREAMS:
        outputs = {minor: getattr(result, stream) for minor, result in results.items()}
        base_path = path_for(snippet, stream)
        base = _read(base_path)
        if base is None and stream == "stderr":
            base = ""
        if base is None or not any(matches(base, text) for text in outputs.values()):
            counts = Counter(outputs.values())
            base = max(reversed(list(outputs.values())), key=counts.__getitem__)
            changed += _write(base_path, base, stream)
        for minor, text in outputs.items():
            own = path_for(snippet, stream, minor)
            if matches(base, text):
                if own.exists():
                    own.unlink()
                    changed.append(own)
            elif (current := _read(own)) is None or not matches(current, text):
                own.write_text(text, encoding="utf-8")
                changed.append(own)
    return changed


def _write(path: Path, text: str, stream: str) -> list[Path]:
    if stream == "stderr" and not text:
        if path.exists():
            path.unlink()
            return [path]
        return []
    path.write_text(text, encoding="utf-8")
    return [path]
