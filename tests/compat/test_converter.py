"""markdown-exec 1.12.6's tests/test_converter.py, adapted.

``test_instantiating_config_singleton`` tests markdown-exec's own configuration object,
not python blocks: not adapted.
"""

from __future__ import annotations

import re

import pytest

from .conftest import fence, refused


@pytest.mark.xfail(
    strict=True,
    reason="only python and py blocks are executed here: an md block is not (see test_aliases)",
)
def test_rendering_nested_blocks(page):
    include = page.snippet("bold", 'print("**Bold!**")\n', "**Bold!**\n")
    html = page.convert('````md exec="1"\n' + fence(include) + "````\n")
    assert "<p><strong>Bold!</strong></p>" in html


@pytest.mark.parametrize(
    ("id", "id_prefix", "expected"),
    [
        # Upstream's default is exec-N-- with N counted across the whole build; here it is
        # the block's own id (post slug, file, number on the page): the same in every build.
        ("", None, 'id="demo-heading-1--heading"'),
        ("", "", 'id="heading"'),
        ("", "some-prefix-", 'id="some-prefix-heading"'),
        ("some-id", None, 'id="some-id-heading"'),
        ("some-id", "", 'id="heading"'),
        ("some-id", "some-prefix-", 'id="some-prefix-heading"'),
    ],
)
def test_prefixing_headings(page, id, id_prefix, expected):  # noqa: A002 - upstream's name
    prefix = f'idprefix="{id_prefix}"' if id_prefix is not None else ""
    include = page.snippet("heading", 'print("# HEADING")\n', "# HEADING\n")
    html = page.convert(fence(include, f'markdown="1" id="{id}" {prefix}'))
    assert re.search(expected, html)


def test_two_blocks_on_a_page_get_distinct_default_prefixes(page):
    include = page.snippet("heading", 'print("# HEADING")\n', "# HEADING\n")
    html = page.convert(fence(include, 'markdown="1"') + "\n" + fence(include, 'markdown="1"'))
    assert 'id="demo-heading-1--heading"' in html
    assert 'id="demo-heading-2--heading"' in html


def test_idprefix_needs_output_rendered_as_markdown(page, caplog_warnings):
    include = page.snippet("heading", 'print("# HEADING")\n', "# HEADING\n")
    page.convert(fence(include, 'idprefix="p-"'))
    refused(page, caplog_warnings, include, 'idprefix="p-" does not apply here')
