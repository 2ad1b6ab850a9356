"""markdown-exec 1.12.6's tests/test_toc.py, adapted: headings a script prints as Markdown
(markdown="true") join the page's table of contents unless updatetoc="no".

mkdocs.yml already loads ``toc``, so upstream's ``TocExtension().extendMarkdown(md)`` is not needed.
"""

from __future__ import annotations

from .conftest import fence, refused


def test_updating_toc(page):
    include = page.snippet("big", 'print("# big heading")\n', "# big heading\n")
    html = page.convert(fence(include, 'markdown="true"'))
    assert "<h1" in html
    assert "big-heading" in page.toc


def test_not_updating_toc(page):
    include = page.snippet("big", 'print("# big heading")\n', "# big heading\n")
    html = page.convert(fence(include, 'markdown="true" updatetoc="no"'))
    assert "<h1" in html
    assert "big-heading" not in page.toc


def test_both_updating_and_not_updating_toc(page):
    blocks = [
        ("big", "# big heading", "no"),
        ("medium", "## medium heading", "yes"),
        ("small", "### small heading", "no"),
        ("tiny", "#### tiny heading", "yes"),
    ]
    text = "\n".join(
        fence(
            page.snippet(name, f'print("{line}")\n', line + "\n"), f'markdown="1" updatetoc="{u}"'
        )
        for name, line, u in blocks
    )
    html = page.convert(text)
    assert "<h1" in html
    assert "<h2" in html
    assert "<h3" in html
    assert "<h4" in html
    assert "big-heading" not in page.toc
    assert "medium-heading" in page.toc
    assert "small-heading" not in page.toc
    assert "tiny-heading" in page.toc


def test_toc_entries_link_to_the_headings_on_the_page(page):
    include = page.snippet("big", 'print("## Measured")\n', "## Measured\n")
    html = page.convert("# Title\n\n" + fence(include, 'markdown="true"'))
    assert 'id="demo-big-1--measured"' in html
    assert 'href="#demo-big-1--measured"' in page.toc
    assert 'class="markdown-exec"' not in html  # markdown-exec's ToC helpers leave no trace
    assert "<p><div" not in html  # nor a paragraph around the block


def test_updatetoc_needs_output_rendered_as_markdown(page, caplog_warnings):
    include = page.snippet("big", 'print("# big heading")\n', "# big heading\n")
    page.convert(fence(include, 'updatetoc="no"'))
    refused(page, caplog_warnings, include, 'updatetoc="no" does not apply here')
