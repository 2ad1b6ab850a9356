"""A missing browser tool is a skip here and a failure under CI, with one line saying why.

The decision is conftest.unavailable's, tested directly; then end to end, in a pytest
subprocess whose axe-core path points at nothing (a second or two: the test stops before
Chromium starts and before the site is built). tests/test_ci.py does the same for a
missing Chromium (PICKLED_STATE_CHROMIUM).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import PROJECT
from .conftest import AXE_CORE, CHROMIUM, axe_core_path, chromium_path, on_ci, unavailable


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), (" TRUE ", True), ("1", True), ("yes", True), ("on", True)]
    + [("", False), ("false", False), ("0", False), ("whatever", False)],
)
def test_ci_is_a_yes_of_the_ci_variable(value, expected):
    assert on_ci({"CI": value}) is expected
    assert on_ci({}) is False


def test_under_ci_a_missing_tool_fails_with_its_line():
    with pytest.raises(pytest.fail.Exception, match=r"^axe-core not found: run make$"):
        unavailable("axe-core not found: run make", ci=True)


def test_locally_a_missing_tool_is_a_skip_with_its_line():
    with pytest.raises(pytest.skip.Exception, match=r"^axe-core not found: run make$"):
        unavailable("axe-core not found: run make", ci=False)


def test_paths_default_to_debians_chromium_and_the_npm_axe_core():
    assert chromium_path({}) == CHROMIUM == Path("/usr/bin/chromium")
    assert chromium_path({"PICKLED_STATE_CHROMIUM": "/opt/c"}) == Path("/opt/c")
    assert axe_core_path({}) == AXE_CORE
    assert AXE_CORE.parts[-5:] == (".cache", "node", "node_modules", "axe-core", "axe.min.js")
    assert axe_core_path({"PICKLED_STATE_AXE_CORE": "/x/axe.js"}) == Path("/x/axe.js")


@pytest.mark.parametrize("ci", [True, False], ids=["CI", "local"])
def test_a_missing_axe_core_fails_under_ci_and_skips_locally(tmp_path, ci):
    missing = tmp_path / "no-axe-core-here.js"
    decisive = ("CI", "PICKLED_STATE_CHROMIUM", "PICKLED_STATE_AXE_CORE")
    env = {k: v for k, v in os.environ.items() if k not in decisive and not k.startswith("PYTEST")}
    env["PICKLED_STATE_AXE_CORE"] = str(missing)
    if ci:
        env["CI"] = "true"
    node = "tests/browser/test_accessibility.py::test_no_serious_accessibility_violation"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rfsE", "-p", "no:cacheprovider"]
        + [f"{node}[desktop-home]"],
        cwd=PROJECT.root,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    out = proc.stdout + proc.stderr
    line = f"axe-core not found at {missing}: run `make axe-core`"
    assert line in out, out[-3000:]
    if ci:
        # pytest.fail in a fixture is reported as an error: the run fails all the same.
        assert proc.returncode == 1 and "1 error" in out, out[-3000:]
    else:
        assert proc.returncode == 0 and "1 skipped" in out, out[-3000:]
    assert "mkdocs build" not in out  # it stopped before building the site
