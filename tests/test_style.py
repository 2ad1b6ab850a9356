"""The project's own code, words and workflows pass the same tools as pre-commit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PROJECT

BIN = Path(sys.executable).parent

CHECKS = {
    "ruff check": ["ruff", "check", "snippet_runner", "tests", "scripts"],
    "ruff format": ["ruff", "format", "--check", "snippet_runner", "tests", "scripts"],
    "codespell": ["codespell"],
    "zizmor": ["zizmor", "--offline", ".github"],
    # The workflow linter: expressions, contexts, runner labels, action inputs, and the
    # `run:` scripts through shellcheck (both pinned in requirements.txt).
    "actionlint": ["actionlint", "-no-color", f"-shellcheck={BIN / 'shellcheck'}"],
}


@pytest.mark.parametrize("name", CHECKS)
def test_tool_passes(name):
    tool, *args = CHECKS[name]
    proc = subprocess.run(
        [str(BIN / tool), *args], cwd=PROJECT.root, capture_output=True, text=True
    )
    assert proc.returncode == 0, (
        f"{name} failed; run `.venv/bin/pre-commit run --all-files` to see and fix:\n"
        + proc.stdout[-4000:]
        + proc.stderr[-2000:]
    )
