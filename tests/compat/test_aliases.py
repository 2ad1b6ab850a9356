"""Which fence languages run: ``python`` and markdown-exec's alias ``py`` (both registered in
mkdocs.yml). Any other language with exec="on" (python3, py3, pycon, md, ...) would be shown
as text while the build passes: it must fail the build instead."""

from __future__ import annotations

import pytest

from snippet_runner.blog import posts

from .conftest import custom_fences, fence, refused

HELLO = ('print("hello")\n', "hello\n")


def test_mkdocs_yml_runs_python_and_py_with_this_sites_formatter():
    from snippet_runner.blog import fence as blog_fence

    fences = custom_fences()
    assert set(fences) == posts.PYTHON == {"python", "py"}
    for entry in fences.values():
        assert entry["validator"] is blog_fence.validator
        assert entry["format"] is blog_fence.formatter


@pytest.mark.parametrize("language", sorted(posts.PYTHON))
def test_registered_languages_run_end_to_end(page, language):
    include = page.snippet("hello", *HELLO)
    html = page.convert("Before.\n\n" + fence(include, 'source="above"', language) + "\nAfter.\n")
    assert not page.build.failures
    assert "hello</code>" in html and 'href="/snippets/demo/hello.py"' in html
    assert "<p>After.</p>" in html  # the rest of the page is still Markdown


@pytest.mark.parametrize("language", ["python3", "py3", "pycon", "md"])
def test_other_languages_with_exec_fail_the_build(page, caplog_warnings, language):
    include = page.snippet("hello", *HELLO)
    html = page.convert(fence(include, "", language) + "\nAfter.\n")
    assert "<p>After.</p>" in html
    refused(page, caplog_warnings, include, f"a {language} block is not executed here")
