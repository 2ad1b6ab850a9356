"""markdown-exec 1.12.6's tests/test_validator.py, against this site's validator."""

from __future__ import annotations

import pytest

from snippet_runner.blog import fence


@pytest.mark.parametrize(
    ("exec_value", "expected"),
    [
        ("yes", True),
        ("YES", True),
        ("on", True),
        ("ON", True),
        ("whynot", True),
        ("true", True),
        ("TRUE", True),
        ("1", True),
        ("-1", True),
        ("0", False),
        ("no", False),
        ("NO", False),
        ("off", False),
        ("OFF", False),
        ("false", False),
        ("FALSE", False),
    ],
)
def test_validate(exec_value, expected):
    options: dict = {}
    assert fence.validator("whatever", {"exec": exec_value}, options, {}, None) is expected


def test_a_bad_number_is_left_to_the_formatter_which_names_the_post():
    # markdown-exec's own validator raises here, and superfences then shows the fence as text.
    options: dict = {}
    inputs = {"exec": "on", "returncode": "two", "width": "wide"}
    assert fence.validator("python", inputs, options, {}, None) is True
    assert options["extra"] == {"returncode": "two", "width": "wide"}
    assert options["written"] == {"exec": "on", "returncode": "two", "width": "wide"}
