"""Rules for posts that the blog plugin does not enforce itself."""

from __future__ import annotations

import re

import pytest

from snippet_runner.blog import posts as blog
from snippet_runner.executor import expected

from .conftest import PROJECT

POSTS = blog.posts(PROJECT)
PYTHON = blog.PYTHON  # the languages mkdocs.yml registers an executor for
# Fences that show program output: output on this site is printed, never typed.
OUTPUT_LANGUAGES = {"pycon", "text", "txt", "output", "console", "plaintext"}


def _id(path) -> str:
    return str(PROJECT.rel(path))


def _where(fence) -> str:
    return f"{PROJECT.rel(fence.post)}:{fence.line}"


@pytest.mark.parametrize("post", POSTS, ids=_id)
def test_python_fences_run_snippet_files(post):
    problems = []
    for fence in blog.fences(post):
        if fence.language not in {*PYTHON, "python3", "py3"} and not fence.executed:
            continue
        if not fence.only_includes:
            problems.append(
                f"{_where(fence)}: this {fence.language} block is written inline. Move the code "
                f"to snippets/{post.stem}/<name>.py, make the block body "
                f'`--8<-- "{post.stem}/<name>.py"` and add exec="on" to show its real output.'
            )
        elif fence.executed and (len(fence.includes) != 1 or ":" in fence.includes[0]):
            problems.append(
                f"{_where(fence)}: an executed block must include exactly one whole snippet "
                f"file (no named region); it includes {fence.includes}."
            )
        elif fence.executed and fence.language not in PYTHON:
            problems.append(
                f"{_where(fence)}: a {fence.language} block is not executed here; write "
                "```python (or ```py) instead."
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("post", POSTS, ids=_id)
def test_no_hand_typed_output(post):
    typed = [
        f"{_where(fence)}: a hand-written ```{fence.language} block. Output on this site is "
        'printed by a snippet: put the program in snippets/ and include it with exec="on".'
        for fence in blog.fences(post)
        if fence.language in OUTPUT_LANGUAGES and not fence.executed
    ]
    assert not typed, "\n".join(typed)


@pytest.mark.parametrize("post", POSTS, ids=_id)
def test_included_snippets_exist(post):
    missing = [
        f"{_where(fence)}: includes {path!r}, but snippets/{path.split(':')[0]} does not exist"
        for fence in blog.fences(post)
        for path in fence.includes
        if not (PROJECT.snippets_dir / path.split(":")[0]).is_file()
    ]
    assert not missing, "\n".join(missing)


def test_every_snippet_is_used():
    included = {
        (PROJECT.snippets_dir / path.split(":")[0]).resolve()
        for post in POSTS
        for fence in blog.fences(post)
        for path in fence.includes
    }
    unused = [_id(p) for p in blog.snippet_files(PROJECT) if p.resolve() not in included]
    assert not unused, (
        "these snippets are not included by any post; include them or delete them: "
        + ", ".join(unused)
    )


def test_snippets_belong_to_their_post():
    # snippets/<slug>/ feeds docs/blog/posts/<slug>.md, so a reader finds one from the other.
    strays = [
        f"{_id(path)}: no post docs/blog/posts/{path.parent.name}.md for this folder"
        for path in blog.snippet_files(PROJECT)
        if not blog.post_for(path, PROJECT).is_file()
    ]
    assert not strays, "\n".join(strays)


def test_every_expected_file_has_its_snippet():
    orphans = [
        _id(path)
        for pattern in ("*/*.stdout", "*/*.stderr")
        for path in PROJECT.snippets_dir.glob(pattern)
        if not expected.snippet_of(path).is_file()
    ]
    assert not orphans, "expected-output files without a snippet: " + ", ".join(orphans)


# Prose that states a version range or a measured figure quotes it from the outputs
# ([[printed: ...]] / [[versions: ...]], snippet_runner/blog/quote.py), so it cannot drift.
_CODE = re.compile(
    r"^(?P<f>`{3,}|~{3,}).*?^(?P=f)\s*$|`[^`\n]*`|\[\[.*?\]\]|\]\([^)]*\)|^\[[^\]]+\]:.*$",
    re.S | re.M,
)
_TYPED_RANGE = re.compile(r"\b3\.\d+(?:\.\d+)?\s*(?:to|–|—|-|through)\s*3\.\d+")
_TYPED_MEASURE = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:×|x\b|times (?:as|slower|faster|more|longer)|µs\b|us\b|ms\b)"
)


@pytest.mark.parametrize("post", POSTS, ids=_id)
def test_no_typed_version_range_or_measured_figure(post):
    _, body = blog.front_matter(post.read_text(encoding="utf-8"))
    prose = _CODE.sub(" ", body)
    found = [
        m.group(0) for pattern in (_TYPED_RANGE, _TYPED_MEASURE) for m in pattern.finditer(prose)
    ]
    assert not found, (
        f"{_id(post)} types {found}: quote what a snippet printed instead, e.g. "
        "[[versions: <slug>/<name>.py | <regex>]] or [[printed: <slug>/<name>.py | <regex>]] "
        "(README, 'Prose bound to outputs')"
    )
