"""Describe the interpreter that produced an output, for the label under it."""

from __future__ import annotations

import functools
import subprocess
import sys

_PROBE = (
    "import platform, sys; "
    "print(platform.python_implementation(), platform.python_version(), "
    "platform.system(), sep='|')"
)


@functools.cache
def describe(python: str = sys.executable) -> str:
    """Return e.g. ``"CPython 3.11.7 · Linux"`` for the interpreter at ``python``."""
    out = subprocess.run(
        [python, "-I", "-c", _PROBE], capture_output=True, text=True, check=True
    ).stdout.strip()
    implementation, version, system = out.split("|")
    return f"{implementation} {version} · {system}"
