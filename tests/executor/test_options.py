"""RunOptions.parse (the fence options of a block) and verdict (did a run keep them)."""

from __future__ import annotations

import pytest

from snippet_runner.executor.options import (
    OPTIONS,
    RUN_KEYS,
    STDERR_TAIL_LINES,
    OptionError,
    RunOptions,
    verdict,
)
from snippet_runner.executor.process import RunResult


def parse(**raw) -> RunOptions:
    return RunOptions.parse(raw)


def error_of(raw: dict, **kwargs) -> OptionError:
    with pytest.raises(OptionError) as error:
        RunOptions.parse(raw, **kwargs)
    return error.value


def test_option_names():
    assert OPTIONS == ("timeout", "hangs", "versions", "reason")
    assert RUN_KEYS == ("timeout", "hangs", "versions", "reason", "returncode", "width")
    assert STDERR_TAIL_LINES == 20
    assert issubclass(OptionError, ValueError)


def test_no_options():
    assert RunOptions.parse({}) == RunOptions(60.0, False, 0, "", "", 80)
    assert RunOptions() == RunOptions(60.0, False, 0, "", "", 80)


def test_the_default_timeout_comes_from_the_caller():
    assert RunOptions.parse({}, default_timeout=7.5).timeout == 7.5
    # The ceiling applies to what a fence asks for, not to the project's default.
    assert RunOptions.parse({}, default_timeout=700, max_timeout=600).timeout == 700


def test_unknown_keys_are_ignored():
    # markdown-exec's own options (and anything else) are not ours to check.
    assert parse(exec="on", title="x") == RunOptions()


# -- timeout -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("2.5", 2.5), (" 3 ", 3.0), (3, 3.0), ("0.001", 0.001), ("600", 600.0), ("1e2", 100.0)],
)
def test_timeout(value, seconds):
    options = parse(timeout=value)
    assert options.timeout == seconds
    assert type(options.timeout) is float


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "0", "0.0", "-1", "abc", "", " ", "1s"])
def test_a_timeout_must_be_a_positive_finite_number(value):
    error = error_of({"timeout": value})
    assert str(error) == f'timeout="{value}" is not a positive number'
    assert error.__suppress_context__ is False  # raised on its own, nothing to hide


def test_a_timeout_may_reach_the_ceiling_but_not_pass_it():
    assert RunOptions.parse({"timeout": "600"}, max_timeout=600).timeout == 600.0
    error = error_of({"timeout": "600.5"}, max_timeout=600)
    assert str(error) == (
        'timeout="600.5" is over the ceiling of 600 seconds '
        "(max-timeout in pyproject.toml): make the example faster"
    )
    assert str(error_of({"timeout": " 91 "}, max_timeout=90.5)) == (
        'timeout=" 91 " is over the ceiling of 90.5 seconds '
        "(max-timeout in pyproject.toml): make the example faster"
    )


def test_the_ceiling_defaults_to_600():
    assert parse(timeout="600").timeout == 600.0
    assert "ceiling of 600 seconds" in str(error_of({"timeout": "601"}))


def test_a_nan_ceiling_rejects_every_timeout():
    assert "over the ceiling of nan" in str(error_of({"timeout": "1"}, max_timeout=float("nan")))


# -- hangs ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["true", "yes", "on", "1", "TRUE", True])
def test_hangs_with_a_timeout(value):
    assert parse(hangs=value, timeout="2") == RunOptions(2.0, True, 0, "", "", 80)


@pytest.mark.parametrize("value", ["false", "no", "off", "0", "", False])
def test_hangs_off(value):
    assert parse(hangs=value).hangs is False
    assert parse(hangs=value, timeout="2").hangs is False


def test_hangs_needs_an_explicit_timeout():
    error = error_of({"hangs": "true"})
    assert str(error) == (
        'hangs="true" needs an explicit timeout="SECONDS": the build stops '
        "the example after that long and shows what it printed"
    )
    # Even when the project's default timeout would do.
    error_of({"hangs": "yes"}, default_timeout=5)


def test_a_typo_in_hangs_is_an_error():
    error = error_of({"hangs": "of", "timeout": "1"})
    assert str(error) == 'hangs="of" is not a switch: write one of on/off, yes/no, true/false, 1/0'
    assert type(error) is OptionError
    assert error.__suppress_context__ is True


# -- returncode ----------------------------------------------------------------


@pytest.mark.parametrize(("value", "code"), [("1", 1), (" 2 ", 2), ("-9", -9), (3, 3), ("0", 0)])
def test_returncode(value, code):
    assert parse(returncode=value).returncode == code


@pytest.mark.parametrize("value", ["abc", "1.5", "", "one", "1 2"])
def test_a_returncode_must_be_a_whole_number(value):
    error = error_of({"returncode": value})
    assert str(error) == f'returncode="{value}" is not a whole number'
    assert error.__suppress_context__ is True


# -- versions and reason -------------------------------------------------------


def test_versions_with_a_reason():
    options = parse(versions=" >=3.12 ", reason="  match statements  ")
    assert (options.versions, options.reason) == (">=3.12", "match statements")


def test_versions_without_a_reason():
    assert str(error_of({"versions": ">=3.12"})) == (
        'versions=">=3.12" needs reason="..." telling the reader why'
    )
    assert str(error_of({"versions": ">=3.12", "reason": "   "})) == (
        'versions=">=3.12" needs reason="..." telling the reader why'
    )


def test_a_reason_without_versions():
    message = 'reason="..." explains versions="...": give both, or neither'
    assert str(error_of({"reason": "because"})) == message
    assert str(error_of({"reason": "because", "versions": "  "})) == message


def test_blank_versions_and_reason_are_no_restriction():
    assert parse(versions=" ", reason=" ") == RunOptions()


@pytest.mark.parametrize("value", ["3.12", "py3", "=>3.12", "latest", " 3.12 "])
def test_versions_must_be_a_specifier(value):
    error = error_of({"versions": value, "reason": "r"})
    assert str(error) == f'versions="{value.strip()}" is not a version specifier like ">=3.12"'
    assert error.__suppress_context__ is True


def test_a_bad_specifier_is_reported_before_a_missing_reason():
    assert "is not a version specifier" in str(error_of({"versions": "3.12"}))


# -- width ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "width"), [("100", 100), (" 40 ", 40), ("100.7", 100), (120, 120)]
)
def test_width(value, width):
    options = parse(width=value)
    assert options.width == width
    assert type(options.width) is int


@pytest.mark.parametrize("value", ["", None, 0])
def test_an_empty_width_is_the_default(value):
    assert parse(width=value).width == 80


@pytest.mark.parametrize("value", ["0", "-80", "wide", "inf", "nan"])
def test_a_width_must_be_a_positive_number(value):
    assert str(error_of({"width": value})) == f'width="{value}" is not a positive number'


# -- runs_on -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("versions", "version", "runs"),
    [
        ("", "3.9.0", True),
        ("", "not a version", True),
        (">=3.12", "3.12.0", True),
        (">=3.12", "3.11.9", False),
        (">=3.12", "3.15.0a2", True),
        ("<3.13", "3.13.0", False),
        ("<3.13", "3.12.7", True),
        (">=3.11,<3.13", "3.13.1", False),
        (">=3.12", "not a version", False),
    ],
)
def test_runs_on(versions, version, runs):
    assert RunOptions(versions=versions, reason="r" if versions else "").runs_on(version) is runs


# -- verdict -------------------------------------------------------------------


def result(*, returncode=0, timed_out=False, stderr="", seconds=1.25, timeout=60.0) -> RunResult:
    return RunResult(
        stdout="out\n",
        stderr=stderr,
        returncode=None if timed_out else returncode,
        timed_out=timed_out,
        seconds=seconds,
        timeout=timeout,
    )


def test_a_run_that_keeps_its_promises():
    assert verdict(result(), RunOptions()) is None
    assert verdict(result(returncode=3), RunOptions(returncode=3)) is None
    assert verdict(result(returncode=-9), RunOptions(returncode=-9)) is None


def test_a_declared_hang_that_timed_out_is_fine():
    assert verdict(result(timed_out=True), RunOptions(timeout=2, hangs=True)) is None
    # Whatever returncode the fence declares: a hang has none.
    assert verdict(result(timed_out=True), RunOptions(timeout=2, hangs=True, returncode=1)) is None


def test_a_timeout():
    message = verdict(result(timed_out=True, stderr="Traceback\n  boom\n"), RunOptions(timeout=2.5))
    assert message == (
        "timed out after 2.5 s; all its processes were killed. "
        'Make it finish, raise the limit with timeout="SECONDS", or declare '
        'hangs="true" if it is meant to hang.\n'
        "Last lines of stderr:\n"
        "    Traceback\n"
        "      boom"
    )


def test_a_timeout_uses_the_options_timeout_and_says_when_stderr_is_empty():
    message = verdict(result(timed_out=True, timeout=99.0), RunOptions(timeout=60.0))
    assert message.startswith("timed out after 60 s;")
    assert message.endswith("Last lines of stderr:\n    (stderr is empty)")


def test_a_declared_hang_that_finished():
    message = verdict(result(returncode=0, seconds=0.26), RunOptions(timeout=3, hangs=True))
    assert message == (
        'is declared hangs="true" but exited with code 0 after 0.3 s (timeout 3 s). '
        "Remove hangs, or make the example really hang."
    )
    message = verdict(result(returncode=2, seconds=1.04), RunOptions(timeout=0.5, hangs=True))
    assert message == (
        'is declared hangs="true" but exited with code 2 after 1.0 s (timeout 0.5 s). '
        "Remove hangs, or make the example really hang."
    )


def test_a_wrong_exit_code_without_a_declared_one():
    message = verdict(result(returncode=1, stderr="Traceback\nValueError: x\n"), RunOptions())
    assert message == (
        "exited with code 1 (no returncode declared). Fix the snippet, "
        'or declare returncode="1" if the failure is the point.\n'
        "Last lines of stderr:\n"
        "    Traceback\n"
        "    ValueError: x"
    )


def test_a_wrong_exit_code_with_a_declared_one():
    message = verdict(result(returncode=0), RunOptions(returncode=2))
    assert message == (
        'exited with code 0 (declared returncode="2"). Fix the snippet, '
        'or declare returncode="0" if the failure is the point.\n'
        "Last lines of stderr:\n"
        "    (stderr is empty)"
    )
    assert verdict(result(returncode=-1), RunOptions(returncode=1)).startswith(
        'exited with code -1 (declared returncode="1").'
    )


def test_only_the_last_lines_of_stderr_are_quoted():
    stderr = "".join(f"line {n}\n" for n in range(1, 31))
    message = verdict(result(returncode=1, stderr=stderr), RunOptions())
    tail = message.split("Last lines of stderr:\n", 1)[1]
    assert tail == "\n".join(f"    line {n}" for n in range(11, 31))


def test_exactly_twenty_lines_are_all_quoted():
    stderr = "\n".join(f"l{n}" for n in range(20))  # no final newline
    tail = verdict(result(returncode=1, stderr=stderr), RunOptions()).split("stderr:\n", 1)[1]
    assert tail == "\n".join(f"    l{n}" for n in range(20))


@pytest.mark.parametrize("stderr", ["", "\n", "\n\n\n"])
def test_blank_stderr_is_called_empty(stderr):
    message = verdict(result(returncode=1, stderr=stderr), RunOptions())
    assert message.endswith("Last lines of stderr:\n    (stderr is empty)")


def test_blank_lines_inside_stderr_are_kept():
    message = verdict(result(returncode=1, stderr="a\n\nb\n"), RunOptions())
    assert message.endswith("stderr:\n    a\n    \n    b")


def test_only_final_newlines_are_dropped_from_stderr():
    # Leading blank lines and trailing spaces are part of what the script wrote.
    message = verdict(result(returncode=1, stderr="\n\nfirst\nlast  \n\n"), RunOptions())
    assert message.endswith("stderr:\n    \n    \n    first\n    last  ")


def test_the_last_characters_of_stderr_are_kept():
    message = verdict(result(returncode=1, stderr="AssertionError: XX\n"), RunOptions())
    assert message.endswith("stderr:\n    AssertionError: XX")


def test_a_whitespace_line_at_the_end_of_stderr_is_quoted():
    message = verdict(result(returncode=1, stderr="Error XX\n \t\n"), RunOptions())
    assert message.endswith("stderr:\n    Error XX\n     \t")
