"""The pid rule as ``redact._pid()`` builds it.

``PRESETS["pid"]`` is built once, when redact.py is imported, so a mutation
tester that forks after the import (mutmut) never sees a change to ``_pid``
through the preset: these tests call the function itself. The preset's own
behaviour is tested with the other presets in test_expected.py.
"""

from __future__ import annotations

import re

import pytest

from snippet_runner.executor import redact
from snippet_runner.executor.redact import PRESETS, Redactor, Rule

from .locales import switched_to_ascii_locale


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("pid 42", "pid <pid>"),
        ("pid=42", "pid=<pid>"),
        ("pid:42", "pid:<pid>"),
        ("pid: 42", "pid: <pid>"),
        ("PID: 42", "PID: <pid>"),
        ("Pid 7 and ppid=3", "Pid <pid> and ppid=<pid>"),
        ("ppid 4 ppid:5 ppid: 6 PPID=7", "ppid <pid> ppid:<pid> ppid: <pid> PPID=<pid>"),
        ("<Process pid=123 parent=12 started>", "<Process pid=<pid> parent=<pid> started>"),
        ("PARENT=12", "PARENT=<pid>"),
        ("parent 12", "parent 12"),  # only `parent=` as in a Process repr
        ("rapid 5", "rapid 5"),
        ("pid 42abc", "pid 42abc"),
        ("pid  42", "pid  42"),
        ("pid.42", "pid.42"),
        ("worker 3", "worker 3"),
    ],
)
def test_the_pid_rule(text, redacted):
    assert Redactor((redact._pid(),)).apply(text) == redacted


def test_the_pid_rule_is_the_pid_preset():
    rule = redact._pid()
    assert type(rule) is Rule
    assert rule == PRESETS["pid"]
    assert rule.replace == "<pid>"
    assert rule.pattern.flags & re.IGNORECASE


# -- what survived mutation testing ---------------------------------------------------


def test_a_compare_file_is_read_as_utf8_whatever_the_locale(tmp_path):
    (tmp_path / "x.py").write_text("print()\n")
    rule = "[all]\nredact = [{ pattern = '\\d+ …', replace = '<n> …' }]\n"
    (tmp_path / redact.COMPARE_FILE).write_text(rule, encoding="utf-8")
    with switched_to_ascii_locale():
        redactor = redact.redactor_for(tmp_path / "x.py")
    assert redactor.apply("42 …") == "<n> …"


def test_a_host_working_directory_ending_in_x_is_removed_whole():
    text = 'File "/tmp/runX/chunks.py", line 3'
    assert redact.shorten_paths(text, host_workdirs=("/tmp/runX",)) == 'File "chunks.py", line 3'
