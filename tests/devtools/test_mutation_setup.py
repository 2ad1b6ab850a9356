"""`make mutation` runs the executor's tests as mutmut does: with pyproject's
[tool.mutmut] pytest arguments (--noconftest among them). They must pass that way
on the real code, or mutmut stops before its first mutant ("failed to collect stats")."""

from __future__ import annotations

import subprocess
import sys

import tomllib

from ..conftest import PROJECT


def test_the_executor_tests_pass_with_mutmuts_pytest_arguments():
    mutmut = tomllib.loads((PROJECT.root / "pyproject.toml").read_text("utf-8"))["tool"]["mutmut"]
    args = [*mutmut["pytest_add_cli_args"], *mutmut["pytest_add_cli_args_test_selection"]]
    # The tests that need a fixture from outside their own module, and a fast sample.
    selection = ["-k", "locale or the_key_is or a_failed_write"]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *args, *selection],
        cwd=PROJECT.root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and " error" not in proc.stdout, proc.stdout[-2000:]
