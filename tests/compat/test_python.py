"""markdown-exec 1.12.6's tests/test_python.py, adapted: each block's code is a snippet file.

Upstream runs a block inside the MkDocs process; here it runs as a script in a fresh
interpreter. What follows from that is marked where it applies.
"""

from __future__ import annotations

import re

import pytest

from .conftest import fence, refused

AS_A_SCRIPT = (
    "blocks run as scripts in a fresh interpreter (the point of this project): "
    "__name__ and __module__ are __main__, never markdown-exec's _code_block_nN_"
)


def test_output_markdown(page):
    # Upstream's default; here printed Markdown is rendered when the fence asks for it.
    include = page.snippet("bold", 'print("**Bold!**")\n', "**Bold!**\n")
    html = page.convert(fence(include, 'markdown="true"'))
    assert "<p><strong>Bold!</strong></p>" in html


def test_output_is_text_unless_the_fence_asks(page):
    # This site's default (README): what a script prints is shown as text.
    include = page.snippet("bold", 'print("**Bold!**")\n', "**Bold!**\n")
    html = page.convert(fence(include))
    assert "**Bold!**" in html and "<strong>" not in html


def test_output_html(page):
    include = page.snippet("bold", 'print("**Bold!**")\n', "**Bold!**\n")
    html = page.convert(fence(include, 'html="yes"'))
    assert re.search(r'<div class="snippet-rendered"[^>]*>\*\*Bold!\*\*\n</div>', html)


def test_error_raised(page, caplog_warnings):
    include = page.snippet("error", 'raise ValueError("oh no!")\n')
    html = page.convert(fence(include))
    assert "Traceback" in html
    assert "ValueError" in html
    assert "oh no!" in html
    # markdown-exec's "Execution of python code block exited with errors", naming the post:
    refused(page, caplog_warnings, include, "exited with code 1 (no returncode declared)")


def test_can_print_non_string_objects(page):
    code = """\
    class NonString:
        def __str__(self):
            return "string"

    nonstring = NonString()
    print(nonstring, nonstring)
    """
    include = page.snippet("nonstring", code, "string string\n")
    html = page.convert(fence(include))
    assert "Traceback" not in html
    assert "string string" in html


def test_sessions(page, caplog_warnings):
    a = page.snippet("a", "a = 1\n")
    b = page.snippet("b", 'print(f"b = {b}")\n')
    page.convert(fence(a, 'session="a"') + "\n" + fence(b, 'session="b"'))
    for include, name in ((a, "a"), (b, "b")):
        refused(page, caplog_warnings, include, f'session="{name}" does not apply here')


def test_reporting_errors_in_sessions(page, caplog_warnings):
    include = page.snippet("fraise", 'def fraise():\n    raise RuntimeError("strawberry")\n')
    page.convert(fence(include, 'session="a"'))
    refused(page, caplog_warnings, include, "no state carries over between blocks")


@pytest.mark.xfail(strict=True, reason="pycon blocks are not executed here: see test_aliases")
def test_removing_output_from_pycon_code(page):
    include = page.snippet("console", '>>> print("ok")\nko\n', "ok\n")
    html = page.convert(fence(include, 'source="console"', language="pycon"))
    assert "ok" in html
    assert "ko" not in html


@pytest.mark.xfail(strict=True, reason=AS_A_SCRIPT)
def test_functions_have_a_module_attribute(page):
    code = 'def func():\n    pass\n\nprint(f"`{func.__module__}`")\n'
    include = page.snippet("module", code, "`__main__`\n")
    html = page.convert(fence(include, 'markdown="true"'))
    assert "_code_block_n" in html


def test_functions_have_the_module_attribute_of_a_script(page):
    code = 'def func():\n    pass\n\nprint(f"`{func.__module__}`")\n'
    include = page.snippet("module", code, "`__main__`\n")
    html = page.convert(fence(include, 'markdown="true"'))
    assert "<code>__main__</code>" in html


FUTURE = """\
class Int:
    ...

def f(x: Int) -> None:
    return x + 1.0

print(f"`{f.__annotations__['x']}`")
"""


@pytest.mark.xfail(strict=True, reason=AS_A_SCRIPT)
def test_future_annotations_do_not_leak_into_user_code(page):
    include = page.snippet("future", FUTURE, "`<class '__main__.Int'>`\n")
    html = page.convert(fence(include, 'markdown="true"'))
    assert "<code>Int</code>" not in html
    assert re.search(r"class '_code_block_n\d+_\.Int'", html)


def test_future_annotations_do_not_leak_into_a_script(page):
    include = page.snippet("future", FUTURE, "`<class '__main__.Int'>`\n")
    html = page.convert(fence(include, 'markdown="true"'))
    assert "<code>Int</code>" not in html
    assert "<code>&lt;class '__main__.Int'&gt;</code>" in html
