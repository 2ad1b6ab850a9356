"""Front matter rules the blog plugin does not enforce.

Each failure names the post and the fix. Fixes that are mechanical are applied
by running: FIX_FRONT_MATTER=1 .venv/bin/python -m pytest tests/test_front_matter.py
"""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

import pytest
import yaml

from snippet_runner.blog import posts as blog

from .conftest import PROJECT

POSTS = blog.posts(PROJECT)
FIX = os.environ.get("FIX_FRONT_MATTER") == "1"
FIX_HINT = "(FIX_FRONT_MATTER=1 .venv/bin/python -m pytest tests/test_front_matter.py fixes it)"
_LINK = re.compile(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)")


def split(post: Path) -> tuple[dict, str]:
    try:
        meta, body = blog.front_matter(post.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        pytest.fail(f"{PROJECT.rel(post)}: front matter is not valid YAML: {error}")
    assert meta is not None, f"{PROJECT.rel(post)}: no front matter (--- ... --- at the top)"
    return meta, body


def is_draft(post: Path) -> bool:
    return bool(split(post)[0].get("draft"))


def _id(path) -> str:
    return str(PROJECT.rel(path))


def _rewrite(post: Path, old: str, new: str) -> None:
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("post", POSTS, ids=_id)
def test_front_matter(post):
    meta, body = split(post)
    where = _id(post)
    problems = []

    if meta.get("slug") != post.stem:
        if FIX:
            fixed = re.sub(r"(?m)^slug:.*\n", "", post.read_text(encoding="utf-8"))
            post.write_text(fixed.replace("\n---\n", f"\nslug: {post.stem}\n---\n", 1))
        else:
            problems.append(
                f"slug must be the file name, `slug: {post.stem}`, so the URL, the post and "
                f"snippets/{post.stem}/ share one name {FIX_HINT}"
            )

    date = meta.get("date")
    if isinstance(date, datetime.date):
        if FIX:
            _rewrite(post, f"date: {date.isoformat()}", f"date:\n  created: {date.isoformat()}")
        else:
            problems.append(
                f"write the date as `date: {{created: {date}}}` so the RSS feed uses it {FIX_HINT}"
            )
    elif not isinstance(date, dict) or not isinstance(date.get("created"), datetime.date):
        problems.append("`date: {created: YYYY-MM-DD}` is missing or is not a date")
    elif "updated" in date and not (
        isinstance(date["updated"], datetime.date) and date["updated"] >= date["created"]
    ):
        problems.append("`date.updated` must be a date on or after `date.created`")

    description = str(meta.get("description") or "").strip()
    if not description:
        problems.append("add `description:`, one sentence for search engines and link previews")
    elif len(description) > 200:
        problems.append(f"`description` is {len(description)} characters; keep it under 200")

    if not meta.get("tags"):
        problems.append("add `tags:` (a list), so the post appears on the tags page")

    excerpt, more, _ = body.partition("<!-- more -->")
    if not more:
        problems.append("add `<!-- more -->` after the excerpt (the first paragraphs)")
    elif not re.sub(r"(?m)^#.*$", "", excerpt).strip():
        problems.append("the excerpt before `<!-- more -->` is empty")

    if not meta.get("draft"):  # a draft may keep them while it is written
        problems += [
            f"still has the template's placeholder text: {line!r}; write your own"
            for line in _placeholders()
            if line in body or line in str(meta.get("description", ""))
        ]
    if not meta.get("draft") and re.search(r"(?m)^# TODO", body):
        problems.append("the title still starts with TODO (`make new-post TITLE=...` sets it)")

    assert not problems, f"{where}:\n  - " + "\n  - ".join(problems)


def _placeholders() -> list[str]:
    """The template's own sentences (templates/post.md): a post must replace them all."""
    text = (PROJECT.root / "templates" / "post.md").read_text(encoding="utf-8")
    return [
        line.strip()
        for line in text.splitlines()
        if len(line.strip()) > 30
        and "{" not in line
        and not line.lstrip().startswith(("-", "`", "#"))
        and not re.match(r"\s*\[[^\]]+\]:", line)  # a link a post may well keep
    ]


def test_the_placeholder_check_knows_the_template():
    found = _placeholders()
    assert any("what they will learn" in line for line in found)
    assert not any(line.startswith("[docs]:") for line in found)


@pytest.mark.parametrize("post", [p for p in POSTS if not is_draft(p)], ids=_id)
def test_published_post_links_no_draft(post):
    meta, body = split(post)
    targets = [Path(m) for m in _LINK.findall(body)]
    targets += [
        Path(link).relative_to("blog/posts")
        for link in meta.get("links") or []
        if isinstance(link, str)
    ]
    drafts = [
        str(t)
        for t in targets
        if (post.parent / t).resolve().is_file() and is_draft((post.parent / t).resolve())
    ]
    assert not drafts, (
        f"{_id(post)} is published but links to draft(s) {drafts}: publish them first, "
        "or remove the links"
    )
