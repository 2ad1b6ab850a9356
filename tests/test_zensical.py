"""The same sources build with Zensical (Material's successor), with the same
URLs and the same executed outputs, and a failed example fails that build too.

Zensical reads mkdocs.yml but silently ignores what it does not know; every
difference is either checked here or listed in ZENSICAL_GAPS (and the README).
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from snippet_runner.blog.layout import read_mkdocs_config
from snippet_runner.devtools.workspace import copy_project

from .conftest import PROJECT

WRAPPER = PROJECT.root / "scripts" / "zensical_build.py"

# What each plugin and hook of mkdocs.yml becomes under Zensical 0.0.73, checked by
# hand. A plugin or hook that is not listed fails test_every_feature_is_reviewed.
ZENSICAL_SUPPORT = {
    "search": "own search (search.json instead of search/search_index.json)",
    "blog": "same URLs for posts, archive, categories, index",
    "tags": "tags page built; no tags.json export",
    "rss": "same feeds (feed_rss_created.xml, feed_rss_updated.xml)",
    "hooks": (
        "ignored; what they do is done by the Markdown extension (series box, reading "
        "list, page-by-page runs in parallel) and by the wrapper (cards, snippet downloads)"
    ),
}
# Files only the MkDocs build writes (a trailing / means a whole folder).
ZENSICAL_GAPS = {"sitemap.xml.gz", "tags.json", "search/"}


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("zensical"))
    # The project's cache: the same runs as the MkDocs build, so outputs that vary from
    # run to run (a race's count) compare equal. test_a_failed_example_fails_the_zensical_build
    # shows that Zensical runs examples itself.
    cache = {"SNIPPET_CACHE_DIR": str(PROJECT.root / ".cache" / "snippet-runner")}
    proc = subprocess.run(
        [sys.executable, str(WRAPPER)],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, **cache},
    )
    assert proc.returncode == 0, "zensical build failed:\n" + proc.stderr[-6000:]
    return project / "site"


def _files(site: Path) -> set[str]:
    """The site's files, without the theme's own assets (bundles differ by name)."""
    names = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}
    theme = ("assets/javascripts/", "assets/stylesheets/", "assets/images/")
    return {name for name in names if not name.startswith(theme)}


def _explained(name: str) -> bool:
    return any(name == gap or (gap.endswith("/") and name.startswith(gap)) for gap in ZENSICAL_GAPS)


_OUTPUT = re.compile(
    r'<p class="snippet-output-label">([^<]*)</p>(.*?)</div></div>',
    re.S,
)
_SERIES_BOX = re.compile(r"State in Python multiprocessing: part (\d+) of (\d+)")


def outputs(page: Path) -> list[tuple[str, str]]:
    """Each executed output of a page: its label and its text."""
    text = page.read_text(encoding="utf-8")
    return [
        (html.unescape(label), html.unescape(re.sub(r"<[^>]+>", "", code)))
        for label, code in _OUTPUT.findall(text)
    ]


def test_same_pages_and_feeds(built_site, zensical_site):
    ours, theirs = _files(built_site), _files(zensical_site)
    pages = {f for f in ours if f.endswith(".html") or f.endswith(".xml")}
    assert pages <= theirs, f"missing from the Zensical build: {sorted(pages - theirs)}"
    unexplained = {name for name in ours - theirs if not _explained(name)}
    assert not unexplained, f"new differences, review and list them: {sorted(unexplained)}"


def test_same_executed_outputs(built_site, zensical_site):
    posts = sorted(PROJECT.post_pages(built_site))
    assert posts
    for page in posts:
        ours = outputs(page)
        assert ours, f"{page}: no executed output found"
        assert outputs(zensical_site / page.relative_to(built_site)) == ours, page


def test_same_series_box_and_reading_list(built_site, zensical_site):
    # Drawn by the Markdown extension, which both generators load (hooks: MkDocs only).
    posts = sorted(PROJECT.post_pages(built_site))
    boxes = {p.parent.name: _SERIES_BOX.findall(p.read_text("utf-8")) for p in posts}
    assert sum(1 for found in boxes.values() if found) == len(PROJECT.series)
    for page in posts:
        theirs = (zensical_site / page.relative_to(built_site)).read_text("utf-8")
        assert _SERIES_BOX.findall(theirs) == boxes[page.parent.name], page
    home = (built_site / "index.html").read_text("utf-8")
    their_home = (zensical_site / "index.html").read_text("utf-8")
    for slug in PROJECT.series:
        assert f"{slug}/" in home and f"{slug}/" in their_home, slug


def test_every_feature_is_reviewed():
    config = read_mkdocs_config(PROJECT.root / "mkdocs.yml")
    used = {p if isinstance(p, str) else next(iter(p)) for p in config["plugins"]}
    used |= {"hooks"} if config.get("hooks") else set()
    unreviewed = used - ZENSICAL_SUPPORT.keys()
    assert not unreviewed, (
        f"mkdocs.yml uses {sorted(unreviewed)}: check what Zensical does with it, then "
        "record it in ZENSICAL_SUPPORT and the README's Zensical section"
    )


def test_a_failed_example_fails_the_zensical_build(mini_site):
    mini_site.snippet("demo/drift.py", "print('new')\n", stdout="old\n")
    mini_site.post("demo", '```python exec="on"\n--8<-- "demo/drift.py"\n```\n')
    proc = subprocess.run(
        [sys.executable, str(WRAPPER)],
        cwd=mini_site.root,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "SNIPPET_PYTHONS": "3.11", "SNIPPET_CACHE": "off"},
    )
    assert proc.returncode == 1
    assert "docs/blog/posts/demo.md: snippet snippets/demo/drift.py" in proc.stderr
    assert "-old" in proc.stderr and "+new" in proc.stderr
    assert not (mini_site.root / "site").exists(), "the broken site was left behind"
