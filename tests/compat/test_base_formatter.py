"""markdown-exec 1.12.6's tests/test_base_formatter.py, adapted: upstream calls base_format
with a ``run`` callable; here each case is a fence whose snippet prints what upstream's
``run`` returned (or, for workdir and width, what the shell command printed)."""

from __future__ import annotations

import re

import pytest

from .conftest import fence, refused


def test_no_p_around_html(page):
    code = "<pre><code>hello</code></pre>"
    include = page.snippet("pre", f'print("{code}", end="")\n', code)
    html = page.convert(fence(include, 'html="true"'))
    assert code in html
    assert f"<p>{code}" not in html


@pytest.mark.parametrize("html", [True, False])
def test_render_source(page, html):
    include = page.snippet("hello", 'print("hello")\n', "hello\n")
    options = 'source="tabbed-left"' + (' html="true"' if html else "")
    markup = page.convert(fence(include, options))
    assert "Source" in markup
    assert re.search(r"<label [^>]*>Source</label><label [^>]*>Result</label>", markup)


def test_render_console_plus_ansi_result(page):
    # Upstream: bash with result="ansi"; the console block takes the result's language.
    include = page.snippet("hello", 'print("hello")\n', "hello\n")
    markup = page.convert(fence(include, 'source="console" result="pycon"'))
    assert 'class="language-pycon highlight"' in markup


@pytest.mark.xfail(
    strict=True,
    reason="a block always shows its output frame, with '(no output)' when it printed "
    "nothing, so that the reader sees it ran and how it ended",
)
def test_dont_render_anything_if_output_is_empty(page):
    include = page.snippet("quiet", "pass\n")
    markup = page.convert(fence(include))
    assert not markup


def test_an_empty_output_is_shown_as_such(page):
    include = page.snippet("quiet", "pass\n")
    markup = page.convert(fence(include))
    assert "(no output)" in markup and "exit status 0" in markup


def test_render_source_even_if_output_is_empty(page):
    include = page.snippet("quiet", "pass\n")
    markup = page.convert(fence(include, 'source="tabbed-left"'))
    assert "Source" in markup


def test_changing_working_directory(page, caplog_warnings):
    include = page.snippet("pwd", "import os\nprint(os.getcwd())\n", "/\n")
    page.convert(fence(include, 'workdir="/"'))
    refused(page, caplog_warnings, include, 'workdir="/" does not apply here')
    assert "private, empty temporary folder" in caplog_warnings.text


WIDTH = """\
import os
import shutil

print(f"width: {os.environ['COLUMNS']}")
print(f"terminal: {shutil.get_terminal_size().columns}")
"""


@pytest.mark.parametrize("width", [10, 1000])
def test_console_width(page, width):
    stdout = f"width: {width}\nterminal: {width}\n"
    include = page.snippet(f"width{width}", WIDTH, stdout)
    markup = page.convert(fence(include, f'width="{width}"'))
    assert not page.build.failures  # it printed its expected file, under every interpreter
    assert f"width: {width}\nterminal: {width}</code>" in markup
