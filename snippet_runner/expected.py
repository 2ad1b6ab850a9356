"""Committed expected outputs: one reviewable file per stream, next to the snippet.

``snippets/<slug>/<name>.py`` has ``<name>.stdout`` and, when it writes to
stderr, ``<name>.stderr``: what the oldest supported CPython prints. Where a
newer version starts printing something else, a file named after it holds the
new output, e.g. ``<name>.3.13.stdout``, and applies to that version and every
later one (until a later file takes over): behaviour changes are recorded
where they happen, and a new release inherits the newest behaviour.

A line that is exactly ``...`` matches any number of lines; ``...`` inside a
line matches any text on that line (timings, pids, paths).
``pytest --update-examples`` rewrites a file only when it no longer matches,
so hand-placed wildcards survive updates.
"""

from __future__ import annotations

import difflib
import functools
import re
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


def _key(minor: str) -> tuple[int, ...]:
    return tuple(int(part) for part in minor.split("."))


def _versioned(snippet: Path, stream: str) -> dict[str, Path]:
    """The version-specific files of a snippet's stream: {"3.13": path}."""
    pattern = re.compile(rf"{re.escape(snippet.stem)}\.(\d+\.\d+)\.{stream}")
    return {
        m.group(1): path
        for path in snippet.parent.glob(f"{snippet.stem}.*.{stream}")
        if (m := pattern.fullmatch(path.name))
    }


def expected_for(snippet: Path, stream: str, minor: str) -> tuple[Path, str | None]:
    """The file that holds what ``minor`` should print, and its text.

    That is the file of the newest version up to ``minor``, else the plain
    file. No file at all means "nothing" for stderr, "not written yet" for stdout.
    """
    earlier = [v for v in _versioned(snippet, stream) if _key(v) <= _key(minor)]
    if earlier:
        path = path_for(snippet, stream, max(earlier, key=_key))
        return path, _read(path)
    path = path_for(snippet, stream)
    text = _read(path)
    return path, ("" if text is None and stream == "stderr" else text)


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

    The plain file gets the oldest version's output; a newer version whose
    output differs from what it inherits gets its own file. A file that still
    matches is kept as it is, so hand-placed wildcards survive. Files of
    versions that did not run here are left alone. Returns the files written
    or removed.
    """
    changed = []
    for stream in STREAMS:
        minors = sorted(results, key=_key)
        outputs = {minor: getattr(results[minor], stream) for minor in minors}
        base_path = path_for(snippet, stream)
        current = _read(base_path)
        if current is None and stream == "stderr":
            current = ""
        if current is None or not matches(current, outputs[minors[0]]):
            current = outputs[minors[0]]
            changed += _write(base_path, current, stream)
        for minor in minors[1:]:
            own = path_for(snippet, stream, minor)
            text = outputs[minor]
            mine = _read(own)
            if mine is not None and matches(mine, text) and mine != current:
                current = mine
            elif matches(current, text):  # inherited: its own file is redundant
                if own.exists():
                    own.unlink()
                    changed.append(own)
            else:
                own.write_text(text, encoding="utf-8")
                changed.append(own)
                current = text
    return changed


def _write(path: Path, text: str, stream: str) -> list[Path]:
    if stream == "stderr" and not text:
        if path.exists():
            path.unlink()
            return [path]
        return []
    path.write_text(text, encoding="utf-8")
    return [path]
