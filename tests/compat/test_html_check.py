"""What printed HTML (html="true") or printed Markdown (markdown="true") may put in a page:
plain, well-formed markup, never a script, style, event handler, frame, form or image."""

from __future__ import annotations

import pytest

from snippet_runner.blog.printed import check_html

from .conftest import fence, refused

ACCEPTED = [
    "plain text & more",
    "<p>a <strong>b</strong> <em>c</em> <code>&lt;d&gt;</code></p>",
    '<table><thead><tr><th align="right">n</th></tr></thead><tbody><tr><td>1</td></tr></tbody>'
    "</table>",
    '<a href="https://example.org/x?a=1">x</a> <a href="#here">h</a> <a href="../p/">p</a>',
    '<a href="mailto:a@example.org">m</a>',
    "<ul><li>one</li><li>two<br>three<br/></li></ul>",
    '<details open><summary>s</summary><div class="x" id="y" title="t">d</div></details>',
    '<h2 id="h">Heading<a class="headerlink" href="#h" title="Permanent link">&para;</a></h2>',
]

REFUSED = [
    ("<script>alert(1)</script>", "<script> is not allowed"),
    ("<SCRIPT SRC=//x></SCRIPT>", "<script> is not allowed"),
    ("<style>p{}</style>", "<style> is not allowed"),
    ('<img src="https://tracker.example/x.png">', "<img> is not allowed"),
    ("<iframe></iframe>", "<iframe> is not allowed"),
    ("<svg onload=alert(1)></svg>", "<svg> is not allowed"),
    ("<form><input></form>", "<form> is not allowed"),
    ('<p onclick="alert(1)">x</p>', "the onclick attribute of <p> is not allowed"),
    ('<p style="position:fixed">x</p>', "the style attribute of <p> is not allowed"),
    ('<a href="javascript:alert(1)">x</a>', "is not an http(s) or mailto link"),
    ('<a href=" JaVa&#x09;Script:alert(1)">x</a>', "is not an http(s) or mailto link"),
    ('<a href="data:text/html,x">x</a>', "is not an http(s) or mailto link"),
    ("</div></div><p>escaped the frame</p>", "</div> closes no open <div>"),
    ("<div><p>never closed</p>", "<div> is never closed"),
    ("<p>a</b></p>", "</b> closes no open <b>"),
    ("<div/>", "<div/> is not a void element"),
    ("a < b", "a '<' that starts no tag"),
    ("<<script>script>", "a '<' that starts no tag"),
    ("<!-- c -->", "comments are not allowed"),
    ("<!DOCTYPE html>", "<!DOCTYPE html> is not allowed"),
    ("<![CDATA[x]]>", "is not allowed"),
    ("<?php x ?>", "is not allowed"),
    ("<p>unfinished <b", "a '<' that starts no tag"),
]


@pytest.mark.parametrize("html", ACCEPTED)
def test_plain_markup_is_accepted(html):
    assert check_html(html) == []


@pytest.mark.parametrize(("html", "problem"), REFUSED)
def test_anything_else_is_refused(html, problem):
    assert any(problem in found for found in check_html(html)), check_html(html)


def test_printed_markdown_never_turns_into_raw_html(page):
    code = 'print("<script>alert(1)</script> and <b>bold</b>")\n'
    include = page.snippet("raw", code, "<script>alert(1)</script> and <b>bold</b>\n")
    html = page.convert(fence(include, 'markdown="true"'))
    assert not page.build.failures
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;b&gt;bold&lt;/b&gt;" in html


def test_printed_markdown_cannot_include_files_or_run_blocks(page):
    code = 'print(\'--8<-- "demo/secret.txt"\')\nprint("```python exec=\\"on\\"")\n'
    code += 'print(\'--8<-- "demo/other.py"\')\nprint("```")\n'
    printed = '--8<-- "demo/secret.txt"\n```python exec="on"\n--8<-- "demo/other.py"\n```\n'
    include = page.snippet("include", code, printed)
    (page.site.root / "snippets/demo/secret.txt").write_text("SECRET\n")
    page.snippet("other", 'print("OTHER RAN")\n', "OTHER RAN\n")
    html = page.convert(fence(include, 'markdown="true"'))
    assert not page.build.failures
    assert "SECRET" not in html and "OTHER RAN" not in html
    assert "--8&lt;--" in html or "--8<--" not in html


def test_a_javascript_link_in_printed_markdown_fails_the_build(page, caplog_warnings):
    code = 'print("[click](javascript:alert(1))")\n'
    include = page.snippet("link", code, "[click](javascript:alert(1))\n")
    html = page.convert(fence(include, 'markdown="true"'))
    refused(page, caplog_warnings, include, "it printed Markdown that this site does not inject")
    assert 'href="javascript' not in html


def test_an_image_in_printed_markdown_fails_the_build(page, caplog_warnings):
    # An image would make every reader's browser request another host.
    code = 'print("![x](https://tracker.example/x.png)")\n'
    include = page.snippet("image", code, "![x](https://tracker.example/x.png)\n")
    page.convert(fence(include, 'markdown="true"'))
    refused(page, caplog_warnings, include, "<img> is not allowed")


def test_printed_html_that_would_escape_its_frame_fails_the_build(page, caplog_warnings):
    include = page.snippet("escape", 'print("</div></div>")\n', "</div></div>\n")
    page.convert(fence(include, 'html="true"'))
    refused(page, caplog_warnings, include, "</div> closes no open <div>")
