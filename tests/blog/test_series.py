"""series.py's reading list: a post's description as the home page shows it."""

from __future__ import annotations

import markdown
import pytest

from snippet_runner.blog.series import Part, _plain, reading_list


@pytest.mark.parametrize(
    ("description", "markdown_text"),
    [
        (
            "Where __del__, finally blocks, weakref.finalize and atexit handlers run.",
            "Where `__del__`, finally blocks, `weakref.finalize` and atexit handlers run.",
        ),
        (
            'what the if __name__ == "__main__" guard protects',
            'what the `if __name__ == "__main__"` guard protects',
        ),
        ('"multi-threaded, use of fork()" fires', '"multi-threaded, use of `fork()`" fires'),
        ("e.g. Python 3.14, i.e. not 3.9", "e.g. Python 3.14, i.e. not 3.9"),  # prose stays
        ("a *b* [c](d) <e> _f_ `g` \\", "a \\*b\\* \\[c\\](d) \\<e\\> \\_f\\_ \\`g\\` \\\\"),
    ],
)
def test_python_in_a_description_is_code_and_the_rest_is_text(description, markdown_text):
    assert _plain(description) == markdown_text


def test_the_home_page_list_renders_code_and_escapes_the_rest():
    parts = [Part("finalisers", "`__del__` and finalisers", "Where __del__ runs, *not* bold.")]
    html = markdown.markdown(reading_list(parts, "blog/posts/"))
    assert "Where <code>__del__</code> runs, *not* bold." in html
    assert "<em>" not in html and "<strong>" not in html
