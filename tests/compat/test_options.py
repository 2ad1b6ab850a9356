"""Every option of markdown-exec's python blocks, and each of this site's, is either honoured
here as markdown-exec documents it or refused with a build error naming the post and the
snippet: none is silently dropped (README, "markdown-exec's options")."""

from __future__ import annotations

import re

import markdown_exec
import pytest

from snippet_runner.blog import fence as blog_fence

from .conftest import fence, refused

HELLO = ('print("hello")\n', "hello\n")


def upstream_options() -> list[str]:
    """The option names markdown-exec's validator reads, found by watching it read them."""

    class Inputs(dict):
        read: list[str] = []

        def pop(self, key, *default):
            self.read.append(key)
            return super().pop(key, *default)

    inputs = Inputs(exec="on")
    inputs.read = []
    markdown_exec.validator("python", inputs, {}, {}, None)
    return inputs.read


def test_every_option_markdown_exec_reads_is_decided_here():
    assert sorted(upstream_options()) == sorted(blog_fence.UPSTREAM)


def ok(page) -> None:
    assert not page.build.failures, page.build.failures


# -- one case per option ------------------------------------------------------------


def _exec(page, caplog):
    include = page.snippet("hello", *HELLO)
    html = page.convert(fence(include))
    ok(page)
    assert "snippet-result" in html and "hello</code>" in html
    html = page.convert(f'```python exec="off" title="hello.py"\n--8<-- "{include}"\n```\n')
    assert "snippet-result" not in html  # shown as code, not run: markdown-exec's meaning
    assert '<span class="nb">print</span>' in html and "hello.py</span>" in html
    # Options of a run on a block that does not run: superfences would show it as text.
    html = page.convert(f'```python exec="off" timeout="5"\n--8<-- "{include}"\n```\n\nAfter.\n')
    assert "<p>After.</p>" in html and "```" not in html
    assert 'does not run (exec="off") but has timeout="5"' in caplog.text
    assert page.build.failures


def _id(page, caplog):
    include = page.snippet("fails", "raise SystemExit(2)\n")
    page.convert(fence(include, 'id="the-block"'))
    refused(page, caplog, include, "(block 'the-block')")


def _idprefix(page, caplog):
    include = page.snippet("heading", 'print("# Heading")\n', "# Heading\n")
    html = page.convert(fence(include, 'markdown="true" idprefix="p-"'))
    ok(page)
    assert 'id="p-heading"' in html
    page.convert(fence(include, 'idprefix="p-"'))
    refused(page, caplog, include, 'idprefix="p-" does not apply here')


def _html(page, caplog):
    include = page.snippet("bold", 'print("<b>bold</b>")\n', "<b>bold</b>\n")
    html = page.convert(fence(include, 'html="true"'))
    ok(page)
    assert "<b>bold</b>" in html
    code = 'print("<script>alert(1)</script>")\n'
    evil = page.snippet("evil", code, "<script>alert(1)</script>\n")
    html = page.convert(fence(evil, 'html="true"'))
    refused(page, caplog, evil, "<script> is not allowed")
    assert "<script>" not in html


SOURCES = {
    "above": r"<code>.*print.*</code>.*snippet-result",
    "below": r"snippet-result.*<code>.*print",
    "block": r'print.*<div class="result">\s*<div class="snippet-result"',
    "material-block": r'print.*<div class="result">\s*<div class="snippet-result"',
    "tabbed-left": r">Source</label><label [^>]*>Result</label>",
    "tabbed-right": r">Result</label><label [^>]*>Source</label>",
}


def _source(page, caplog):
    include = page.snippet("hello", *HELLO)
    for location, shape in SOURCES.items():
        html = page.convert(fence(include, f'source="{location}"'))
        assert re.search(shape, html, re.S), (location, html)
    html = page.convert(fence(include, 'source="console"'))
    ok(page)
    # One code block: the source, then what it printed; the links stay out of it.
    block = re.search(r"<pre[^>]*>(.*?)</pre>", html, re.S)
    assert block and "print" in block.group(1) and "hello" in block.group(1)
    assert "Download" not in block.group(1) and "```" not in html
    page.convert(fence(include, 'source="sideways"'))
    refused(page, caplog, include, 'source="sideways" does not apply here')


def _result(page, caplog):
    include = page.snippet("data", "print('{\"a\": 1}')\n", '{"a": 1}\n')
    html = page.convert(fence(include, 'result="json"'))
    ok(page)
    assert 'class="language-json highlight"' in html
    assert '<span class="nt">"a"</span><span class="p">:</span>' in html


def _returncode(page, caplog):
    include = page.snippet("three", "raise SystemExit(3)\n")
    html = page.convert(fence(include, 'returncode="3"'))
    ok(page)
    assert "exit status 3" in html
    other = page.snippet("four", "raise SystemExit(4)\n")
    page.convert(fence(other, 'returncode="3"'))
    refused(page, caplog, other, 'exited with code 4 (declared returncode="3")')


def _session(page, caplog):
    include = page.snippet("hello", *HELLO)
    page.convert(fence(include, 'session="s"'))
    refused(page, caplog, include, 'session="s" does not apply here')


def _updatetoc(page, caplog):
    include = page.snippet("heading", 'print("## Heading")\n', "## Heading\n")
    page.convert(fence(include, 'markdown="true"'))
    assert "heading" in page.toc
    page.convert(fence(include, 'markdown="true" updatetoc="no"'))
    ok(page)
    assert "heading" not in page.toc
    page.convert(fence(include, 'updatetoc="yes"'))
    refused(page, caplog, include, 'updatetoc="yes" does not apply here')


def _tabs(page, caplog):
    include = page.snippet("hello", *HELLO)
    html = page.convert(fence(include, 'source="tabbed-right" tabs="Code|Printed"'))
    ok(page)
    assert re.search(r">Printed</label><label [^>]*>Code</label>", html)
    page.convert(fence(include, 'tabs="Code|Printed"'))
    refused(page, caplog, include, 'it names the tabs of source="tabbed-left"')
    page.convert(fence(include, 'source="tabbed-left" tabs="Code"'))
    refused(page, caplog, include, 'it takes two titles, "Source|Result"')


def _workdir(page, caplog):
    include = page.snippet("hello", *HELLO)
    page.convert(fence(include, 'workdir="docs"'))
    refused(page, caplog, include, 'workdir="docs" does not apply here')


def _width(page, caplog):
    code = "import shutil\nprint(shutil.get_terminal_size().columns)\n"
    include = page.snippet("width", code, "33\n")
    html = page.convert(fence(include, 'width="33"'))
    ok(page)
    assert "33</code>" in html
    page.convert(fence(include, 'width="wide"'))
    refused(page, caplog, include, 'width="wide" is not a positive number')


def _title(page, caplog):
    include = page.snippet("hello", *HELLO)
    html = page.convert(fence(include, 'source="above" title="hello.py"'))
    ok(page)
    assert '<span class="filename">hello.py</span>' in html
    fails = page.snippet("fails", "raise SystemExit(2)\n")
    page.convert(fence(fails, 'title="fails.py"'))
    refused(page, caplog, fails, "(block 'fails.py')")


def _hl_lines(page, caplog):
    include = page.snippet("hello", *HELLO)
    html = page.convert(fence(include, 'source="above" hl_lines="1"'))
    ok(page)
    assert '<span class="hll">' in html
    page.convert(fence(include, 'hl_lines="1"'))
    refused(page, caplog, include, "this block shows no source")


def _linenums(page, caplog):
    include = page.snippet("hello", *HELLO)
    html = page.convert(fence(include, 'source="above" linenums="1"'))
    ok(page)
    assert 'class="linenos"' in html or "linenodiv" in html
    page.convert(fence(include, 'linenums="1"'))
    refused(page, caplog, include, "this block shows no source")


def _timeout(page, caplog):
    include = page.snippet("sleeps", "import time\ntime.sleep(30)\n")
    page.convert(fence(include, 'timeout="0.5"'))
    refused(page, caplog, include, "timed out after 0.5 s")


def _hangs(page, caplog):
    code = 'import time\nprint("waiting", flush=True)\ntime.sleep(30)\n'
    include = page.snippet("hangs", code, "waiting\n")
    html = page.convert(fence(include, 'hangs="true" timeout="0.5"'))
    ok(page)
    assert "stopped it after 0.5 seconds" in html and "waiting" in html


def _versions(page, caplog):
    include = page.snippet("hello", *HELLO)
    html = page.convert(fence(include, 'versions=">=3.0" reason="it is Python 3"'))
    ok(page)
    assert "Runs on CPython &gt;=3.0 only: it is Python 3" in html
    page.convert(fence(include, 'versions=">=3.0"'))
    refused(page, caplog, include, 'versions=">=3.0" needs reason="..."')


def _reason(page, caplog):
    include = page.snippet("hello", *HELLO)
    page.convert(fence(include, 'reason="why"'))
    refused(page, caplog, include, 'reason="..." explains versions="..."')


def _markdown(page, caplog):
    include = page.snippet("bold", 'print("**bold**")\n', "**bold**\n")
    html = page.convert(fence(include, 'markdown="true"'))
    ok(page)
    assert "<strong>bold</strong>" in html
    page.convert(fence(include, 'markdown="true" html="true"'))
    refused(page, caplog, include, 'html="true" already says the output is HTML')


CASES = {
    "exec": _exec,
    "id": _id,
    "idprefix": _idprefix,
    "html": _html,
    "source": _source,
    "result": _result,
    "returncode": _returncode,
    "session": _session,
    "updatetoc": _updatetoc,
    "tabs": _tabs,
    "workdir": _workdir,
    "width": _width,
    "title": _title,
    "hl_lines": _hl_lines,
    "linenums": _linenums,
    "timeout": _timeout,
    "hangs": _hangs,
    "versions": _versions,
    "reason": _reason,
    "markdown": _markdown,
}
ALL = [*blog_fence.UPSTREAM, *blog_fence.SOURCE_BLOCK, *blog_fence.OURS]


def test_every_option_has_a_case():
    assert sorted(CASES) == sorted(ALL)


@pytest.mark.parametrize("option", ALL)
def test_option_is_honoured_or_refused(page, caplog_warnings, option):
    CASES[option](page, caplog_warnings)


# -- what no option may do ----------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ('timout="5"', "it is not an option of markdown-exec's python blocks nor of this site"),
        ('cache="yes"', "the build caches every block already"),
        ('result="json" html="true"', 'it shows the output as code, and html="true" renders'),
        ('result="json" markdown="1"', 'it shows the output as code, and markdown="true"'),
        ('source="console" html="true"', "a console transcript shows the output as text"),
        ('source="console" markdown="1"', "a console transcript shows the output as text"),
    ],
)
def test_options_that_cannot_go_together_or_do_not_exist(page, caplog_warnings, options, message):
    include = page.snippet("hello", *HELLO)
    html = page.convert(fence(include, options))
    refused(page, caplog_warnings, include, message)
    assert "snippet-error" in html and "hello</code>" not in html


def test_a_refusal_is_reported_once_however_often_the_post_renders(page, caplog_warnings):
    include = page.snippet("hello", *HELLO)
    text = fence(include, 'session="s"')
    for _ in range(3):  # Material's blog renders a post again for its index pages
        page.convert(text)
    assert caplog_warnings.text.count('session="s" does not apply here') == 1
    assert len(page.build.failures) == 1


def test_an_error_from_the_build_is_recorded_for_the_zensical_wrapper(page, caplog_warnings):
    # A bad option value is found by the Build; the failures file must list it too.
    include = page.snippet("hello", *HELLO)
    page.convert(fence(include, 'timeout="never"'))
    refused(page, caplog_warnings, include, 'timeout="never" is not a positive number')


def test_a_block_without_exec_and_with_options_of_a_run_fails(page, caplog_warnings):
    include = page.snippet("hello", *HELLO)
    html = page.convert(f'```python source="above"\n--8<-- "{include}"\n```\n')
    assert "```" not in html and "snippet-error" in html
    assert 'does not run (no exec="on") but has source="above"' in caplog_warnings.text


def test_markdown_exec_auto_does_not_make_blocks_run(page, monkeypatch):
    # markdown-exec runs the languages of $MARKDOWN_EXEC_AUTO without exec="on"; a build
    # here must not depend on the author's shell: only the fence says what runs.
    monkeypatch.setattr("markdown_exec._internal.main.MARKDOWN_EXEC_AUTO", ["python"])
    include = page.snippet("hello", *HELLO)
    html = page.convert(f'```python\n--8<-- "{include}"\n```\n')
    assert "snippet-result" not in html and '<span class="nb">print</span>' in html
    assert not page.build.failures


@pytest.mark.parametrize("options", ["", 'html="true"', 'markdown="true"', 'result="text"'])
def test_printed_stash_markers_are_shown_not_interpreted(page, options):
    # Python-Markdown marks stashed HTML with STX/ETX; a printed marker must not pull in
    # other markup of the page (or recurse forever).
    code = 'print("A\\x02wzxhzdk:0\\x03B")\n'
    include = page.snippet("stx", code, "A\x02wzxhzdk:0\x03B\n")
    html = page.convert('<div class="raw">RAW</div>\n\n' + fence(include, options))
    assert not page.build.failures
    assert html.count("RAW") == 1
    assert "\x02" not in html


def test_hidden_lines_are_left_out_of_the_shown_source_but_run(page):
    code = 'print("shown")\nprint("hidden")  # markdown-exec: hide\n'
    include = page.snippet("hide", code, "shown\nhidden\n")
    for location in ("above", "console"):
        html = page.convert(fence(include, f'source="{location}"'))
        ok(page)
        assert "markdown-exec: hide" not in html
        assert "hidden" in html  # printed: the script that ran is the whole file


@pytest.mark.parametrize("options", ['html="true"', 'markdown="true"', 'result="text"'])
def test_backslashes_in_rendered_output_are_kept(page, options):
    # Not read as a regular expression's replacement (\\1, \\n) anywhere on the way.
    include = page.snippet("slashes", 'print(r"C:\\temp \\1 \\n")\n', "C:\\temp \\1 \\n\n")
    html = page.convert(fence(include, options))
    ok(page)
    assert "C:\\temp \\1 \\n" in html
