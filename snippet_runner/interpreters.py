"""Find the configured CPython versions on this machine and describe them."""

from __future__ import annotations

import functools
import json
import logging
import os
import platform
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from . import settings

log = logging.getLogger("mkdocs.plugins.snippet_runner")

_PROBE = (
    "import platform, sys; "
    "print(platform.python_implementation(), platform.python_version(), "
    "'%d.%d' % sys.version_info[:2], sep='|')"
)


class MissingInterpreter(RuntimeError):
    """A configured interpreter is missing while all of them are required."""


@dataclass(frozen=True, order=True)
class Interpreter:
    sort_key: tuple[int, ...]
    minor: str  # "3.12"
    version: str  # "3.12.1"
    implementation: str  # "CPython"
    path: str

    @property
    def label(self) -> str:
        """E.g. ``"CPython 3.11.7 · Linux"``, shown under every output."""
        return f"{self.implementation} {self.version} · {platform.system()}"


def _stamp(path: str) -> str:
    # A reinstalled or upgraded interpreter has a new binary: a new stamp.
    real = Path(path).resolve()
    stat = real.stat()
    return f"{real}|{stat.st_mtime_ns}|{stat.st_size}"


def _ask(path: str) -> str | None:
    """What the interpreter says of itself, remembered on disk by its stamp.

    Asking costs an interpreter start-up (~0.1 s each); a warm build must not pay it.
    """
    memo_file = settings.CACHE_DIR / "interpreters.json"
    try:
        memo = json.loads(memo_file.read_text())
    except (OSError, ValueError):
        memo = {}
    try:
        stamp = _stamp(path)
    except OSError:
        return None
    if stamp in memo:
        return memo[stamp] or None
    try:
        answer = subprocess.run(
            [path, "-I", "-c", _PROBE], capture_output=True, text=True, timeout=20, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        answer = ""  # e.g. a pyenv shim that refuses to run an unselected version
    memo[stamp] = answer
    memo_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = memo_file.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(memo))
    os.replace(tmp, memo_file)
    return answer or None


def _probe(path: str) -> Interpreter | None:
    out = _ask(path)
    if out is None:
        return None
    implementation, version, minor = out.split("|")
    key = tuple(int(part) for part in minor.split("."))
    return Interpreter(key, minor, version, implementation, str(Path(path).resolve()))


def _candidates(minor: str) -> list[str]:
    on_path = shutil.which(f"python{minor}")
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    in_pyenv = sorted(
        (pyenv_root / "versions").glob(f"{minor}.*/bin/python"),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parts[-3].split(".")],
        reverse=True,  # newest patch release first
    )
    return [p for p in [on_path, *map(str, in_pyenv)] if p]


@functools.cache
def find(minor: str) -> Interpreter | None:
    """The interpreter for ``"3.X"``: python3.X on PATH, else pyenv's newest 3.X."""
    for path in _candidates(minor):
        found = _probe(path)
        if found and found.minor == minor:
            return found
    return None


@functools.cache
def available() -> tuple[Interpreter, ...]:
    """The configured interpreters found here, oldest first.

    A missing one is skipped with one line in the log, or is an error when
    SNIPPET_PYTHONS_REQUIRED is set (CI must publish every version's output).
    """
    found, missing = [], []
    for minor in settings.PYTHONS:
        interpreter = find(minor)
        (found.append(interpreter) if interpreter else missing.append(minor))
    if missing:
        message = (
            f"CPython {', '.join(missing)} not found (looked for python3.X on PATH and in "
            f"pyenv's versions folder); its outputs are not shown"
        )
        if settings.PYTHONS_REQUIRED:
            raise MissingInterpreter(message + ", and SNIPPET_PYTHONS_REQUIRED is set.")
        log.info(message + ". Install it, or set SNIPPET_PYTHONS to silence this.")
    if not found:
        raise MissingInterpreter(f"none of {settings.PYTHONS} was found")
    return tuple(sorted(found))


def versions(interpreters: list[Interpreter]) -> str:
    """``"3.9–3.11"`` for consecutive minor versions, ``"3.9, 3.12"`` otherwise."""
    keys = [i.sort_key for i in interpreters]
    consecutive = all(b == (a[0], a[1] + 1) for a, b in zip(keys, keys[1:]))
    if len(interpreters) > 1 and consecutive:
        return f"{interpreters[0].minor}–{interpreters[-1].minor}"
    return ", ".join(i.minor for i in interpreters)


def span(interpreters: list[Interpreter]) -> str:
    """``"CPython 3.9–3.13 · Linux"`` for several, the exact label for one."""
    if len(interpreters) == 1:
        return interpreters[0].label
    return f"{interpreters[0].implementation} {versions(interpreters)} · {platform.system()}"
