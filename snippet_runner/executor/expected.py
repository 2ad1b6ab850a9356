"""Committed expected outputs: one reviewable file per stream and version, next to the snippet.

``snippets/<slug>/<name>.py`` has ``<name>.stdout`` and, when it writes to
stderr, ``<name>.stderr``: what the oldest CPython it runs on prints (the
"plain" files). Where a newer version prints something else, a file named
after it holds the new output and applies to that version and every later
one, until a later file takes over: ``<name>.3.13.stdout`` from 3.13.0 on,
``<name>.3.13.8.stdout`` from 3.13.8 on. A version's expectation is the file
with the greatest version not above its own. No stderr file means "prints
nothing"; no stdout file means "not recorded yet".

What is compared: the output with its paths shortened
(``redact.shorten_paths``) and the folder's redactions applied
(``compare.toml``), against the file's text read with the wildcards of
``matcher``. The page always shows the real output.

How ``update`` rewrites files (``make update-examples``). Each file belongs
to one minor version: ``<name>.3.13.*`` files to 3.13, the plain files to
the oldest version the snippet runs on (``oldest``; when a snippet has no
expected file at all yet, to the oldest version that ran). For each version
that ran, oldest first, with the file that governs it:

- a file that still matches is left as it is (hand-placed wildcards
  survive); it is removed only when it belongs to this version and is the
  same text as the file it would inherit from;
- a file of this version's own minor that no longer matches is removed when
  the file it would inherit from matches, else rewritten with this output;
- a file of an older minor that no longer matches is never rewritten (it
  also holds what versions that did not run here print): this version gets
  a new file named after its minor, e.g. ``<name>.3.12.stdout``.

So a file is only written or removed for a version that ran, and files that
govern only versions that did not run stay as they are. ``update`` never
creates a patch-level file: to keep an older patch release's output apart,
rename the file after the patch release that changed it (``.3.13.8.``).
What is written is the compared text (shortened, redacted), escaped so that
it matches itself (``matcher.escape``).
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from . import matcher, redact
from .process import RunResult

STREAMS = ("stdout", "stderr")

Version = tuple[int, ...]
_PLAIN: Version = ()  # the plain file: below every version


def path_for(snippet: Path, stream: str, version: Version = _PLAIN) -> Path:
    """``chunks.py`` -> ``chunks.stdout``, or ``chunks.3.13.stdout`` for ``(3, 13)``."""
    middle = "".join(f".{part}" for part in version)
    return snippet.with_name(f"{snippet.stem}{middle}.{stream}")


def snippet_of(expected_file: Path) -> Path:
    """``chunks.3.13.8.stdout`` or ``chunks.stdout`` -> ``chunks.py``."""
    return expected_file.with_name(expected_file.name.split(".", 1)[0] + ".py")


def expected_for(snippet: Path, stream: str, key: Version) -> tuple[Path, str | None]:
    """The file that holds what version ``key`` (e.g. ``(3, 13, 18)``) should print, and its text.

    Raises UnicodeDecodeError for a file that is not UTF-8, ValueError for
    two files that claim the same version.
    """
    path = _governing(snippet, stream, key)
    text = _read(path)
    return path, ("" if text is None and stream == "stderr" else text)


def problems(
    snippet: Path, result: RunResult, key: Version, *, root: Path, label: str
) -> list[str]:
    """Each stream of this run that does not match its expected file, and how to fix it.

    ``label`` names the interpreter (``CPython 3.14.10 · Linux x86_64``);
    paths are shown relative to ``root``. Never raises for a broken expected
    file or compare.toml: that is a problem like any other.
    """
    slug = snippet.parent.name
    fix = f"`make update-examples SLUG={slug}`"
    try:
        redactor = redact.redactor_for(snippet)
    except redact.CompareFileError as error:
        return [f"{_shown(error.path, root)}: {error.detail}"]
    found = []
    for stream in STREAMS:
        actual = _compared(redactor, getattr(result, stream))
        try:
            path = _governing(snippet, stream, key)
        except ValueError as error:
            found.append(f"{_shown(snippet.parent, root)}: {error}")
            continue
        shown = _shown(path, root)
        try:
            expected = _read(path)
        except UnicodeDecodeError as error:
            found.append(
                f"{shown} is not UTF-8 text ({error.reason} at byte {error.start}): save it as "
                f"UTF-8, or delete it and run {fix} to record it again"
            )
            continue
        if expected is None and stream == "stderr":
            expected = ""
        if expected is None:
            found.append(f"{shown} is missing: record it with {fix}, then review it")
            continue
        try:
            hint = matcher.first_mismatch(expected, actual)
        except ValueError as error:
            found.append(f"{shown}: {error}")
            continue
        if hint is not None:
            compare = _shown(snippet.parent / redact.COMPARE_FILE, root)
            found.append(
                f"{stream} of {label} does not match {shown}: {hint}.\n"
                f"If the new output is right, run {fix} and review the diff. For parts "
                f"that vary from run to run, use wildcards in {shown} (`...`, "
                f"`{{{{one line}}}}`, `{{{{name}}}}`, `{{{{any order}}}}`) or a redaction "
                f"in {compare}.\n\n" + diff(expected, actual, shown, label)
            )
    return found


def diff(expected: str, actual: str, shown: Path | str, label: str) -> str:
    """A unified diff of an expected text and what a run printed."""
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        fromfile=f"{shown} (expected)",
        tofile=f"{label} (this run)",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def grouping_key(snippet: Path, result: RunResult, key: Version) -> tuple[tuple[Path, str], ...]:
    """Which expectation a version's output satisfies, and how, for grouping versions in tabs.

    Per stream: the file that governs version ``key``, and the output as it
    is compared (paths shortened, redactions applied). Versions whose outputs
    differ only in redacted parts share a key, so the page can show them in
    one tab; outputs that differ elsewhere, or that different files govern,
    do not. The exit status is not part of it.
    """
    redactor = redact.redactor_for(snippet)
    return tuple(
        (_governing(snippet, stream, key), _compared(redactor, getattr(result, stream)))
        for stream in STREAMS
    )


def update(snippet: Path, results: dict[Version, RunResult], *, oldest: Version) -> list[Path]:
    """Rewrite the expected files that no longer match, given the versions that ran here.

    ``results`` maps the key of each interpreter that ran (``(3, 12, 7)``) to
    its result; ``oldest`` is the oldest version the snippet runs on, as
    configured (``(3, 10)``): the plain files hold what it prints. The rules
    are in the module docstring. Returns the files written or removed.
    """
    if not results:
        return []
    redactor = redact.redactor_for(snippet)
    ran = sorted(results)
    recorded = any(_versions(snippet, stream) for stream in STREAMS)
    plain_owner = oldest[:2] if recorded else ran[0][:2]
    changed: list[Path] = []
    for stream in STREAMS:
        outputs = {key: _compared(redactor, getattr(results[key], stream)) for key in ran}
        changed += _update_stream(snippet, stream, outputs, plain_owner)
    return changed


# -- helpers -------------------------------------------------------------------


def _compared(redactor: redact.Redactor, text: str) -> str:
    return redactor.apply(redact.shorten_paths(text))


def _shown(path: Path, root: Path) -> Path:
    return path.relative_to(root) if path.is_relative_to(root) else path


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


def _pad(version: Version) -> Version:
    """``(3, 13)`` -> ``(3, 13, 0)``: the first release a file named for 3.13 covers."""
    return tuple(version) + (0,) * (3 - len(version))


def _versions(snippet: Path, stream: str) -> dict[Version, Path]:
    """The expected files of one stream by the version they start at; ``()`` is the plain file.

    Raises ValueError when two files start at the same version (``.3.13.`` and ``.3.13.0.``).
    """
    pattern = re.compile(rf"{re.escape(snippet.stem)}\.(\d+\.\d+(?:\.\d+)?)\.{stream}")
    found: dict[Version, Path] = {}
    plain = path_for(snippet, stream)
    if plain.exists():
        found[_PLAIN] = plain
    try:
        names = sorted(os.listdir(snippet.parent))
    except (FileNotFoundError, NotADirectoryError):
        names = []
    for name in names:
        m = pattern.fullmatch(name)
        if not m:
            continue
        path = snippet.parent / name
        version = _pad(tuple(int(part) for part in m.group(1).split(".")))
        if version in found:
            raise ValueError(
                f"{found[version].name} and {path.name} both apply from "
                f"{'.'.join(map(str, version))}: keep one of them"
            )
        found[version] = path
    return found


def _governing(snippet: Path, stream: str, key: Version) -> Path:
    versions = _versions(snippet, stream)
    earlier = [v for v in versions if v <= _pad(key)]
    return versions[max(earlier)] if earlier else path_for(snippet, stream)


def _fits(expected: str | None, actual: str) -> bool:
    """Whether an expected text (None: none, or unreadable) matches; a broken one does not."""
    if expected is None:
        return False
    try:
        return matcher.matches(expected, actual)
    except ValueError:
        return False


def _update_stream(
    snippet: Path, stream: str, outputs: dict[Version, str], plain_owner: Version
) -> list[Path]:
    paths = _versions(snippet, stream)
    texts: dict[Version, str | None] = {}  # what each file will hold; None: not UTF-8
    for version, path in paths.items():
        try:
            texts[version] = _read(path)
        except UnicodeDecodeError:
            texts[version] = None
    before = dict(texts)
    nothing = "" if stream == "stderr" else None  # what no plain file means

    def expectation(key: Version, *, below: bool = False) -> tuple[Version, str | None]:
        """The file that governs ``key`` (that ``key`` inherits from, with ``below``), its text."""
        earlier = [v for v in texts if (v < key if below else v <= key)]
        if not earlier:
            return _PLAIN, nothing
        return max(earlier), texts[max(earlier)]

    for key, actual in outputs.items():  # oldest first
        version, text = expectation(_pad(key))
        mine = key[:2] <= plain_owner if version == _PLAIN else version[:2] == key[:2]
        if not mine:  # an older minor's file: never touched, a new file if need be
            if not _fits(text, actual):
                paths[_pad(key[:2])] = path_for(snippet, stream, key[:2])
                texts[_pad(key[:2])] = matcher.escape(actual)
            continue
        inherited = nothing if version == _PLAIN else expectation(version, below=True)[1]
        if _fits(text, actual):
            if text == inherited:  # a copy of what it inherits says nothing more
                texts.pop(version, None)
        elif _fits(inherited, actual):
            texts.pop(version, None)
        else:
            paths.setdefault(version, path_for(snippet, stream))
            texts[version] = matcher.escape(actual)
    changed = []
    for version in sorted(paths):
        path = paths[version]
        if version not in texts:
            if version in before:
                path.unlink()
                changed.append(path)
        elif version not in before or texts[version] != before[version]:
            path.write_text(texts[version], encoding="utf-8")
            changed.append(path)
    return changed
