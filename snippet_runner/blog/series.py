"""The article series: its reading order lives in mkdocs.yml (`extra.series`).

From that one list, each post of the series gets a "part N of M" box with links
to the previous and next parts, and the home page gets the series in reading
order (it holds a `<!-- series -->` marker). Adding a post that is not part of
the series needs none of this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .layout import Layout
from .posts import front_matter, read_text

MARKER = "<!-- series -->"
_TITLE = re.compile(r"^# (.+)$", re.M)


@dataclass(frozen=True)
class Part:
    slug: str
    title: str
    description: str


def parts(layout: Layout, slugs: list[str] | None = None) -> list[Part]:
    """The series' posts (or the given ones) in reading order, with titles and descriptions."""
    found = []
    for slug in layout.series if slugs is None else slugs:
        post = layout.posts_dir / f"{slug}.md"
        if not post.is_file():
            raise ValueError(f"mkdocs.yml extra.series lists {slug!r}, but {post} does not exist")
        meta, body = front_matter(read_text(post))
        heading = _TITLE.search(body)
        meta = meta or {}
        title = heading.group(1).strip() if heading else slug
        found.append(Part(slug, title, " ".join(str(meta.get("description", "")).split())))
    return found


def title_of(markdown: str) -> str | None:
    """The page's first-level heading: how a Markdown extension, which is not told
    which file it renders, recognises a post."""
    heading = _TITLE.search(markdown)
    return heading.group(1).strip() if heading else None


def navigation(series: list[Part], slug: str, name: str) -> str:
    """The box at the end of a post: where it stands and the way on (Markdown)."""
    index = [p.slug for p in series].index(slug)
    lines = [f'!!! abstract "{name}: part {index + 1} of {len(series)}"', ""]
    if index > 0:
        previous = series[index - 1]
        lines.append(f"    Previous: [{previous.title}]({previous.slug}.md)")
        lines.append("")
    if index + 1 < len(series):
        following = series[index + 1]
        lines.append(f"    Next: [{following.title}]({following.slug}.md)")
    else:
        lines.append(
            f"    This is the last part. Start again from [{series[0].title}]({series[0].slug}.md)."
        )
    return "\n".join(lines) + "\n"


#: Python in a description: the main guard, dunder names (``__del__``), calls
#: (``fork()``) and dotted names (``weakref.finalize``), two letters a side at least, so
#: that "e.g." stays prose.
_CODE = re.compile(
    r'if __name__ == "__main__"'
    r"|\b__\w+__\b"
    r"|\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\(\)"
    r"|\b[a-z_]\w+(?:\.[a-z_]\w+)+\b"
)
#: What Markdown would read as markup in prose.
_MARKUP = re.compile(r"([\\`*_\[\]<>])")


def _plain(text: str) -> str:
    """A description as Markdown: its text escaped, its Python shown as code.

    A description is plain text in the front matter (it is also the page's meta
    description and the feeds' summary); on the home page it sits next to the post's
    title, where the same names are code, so there they are code too.
    """
    parts, end = [], 0
    for match in _CODE.finditer(text):
        parts.append(_MARKUP.sub(r"\\\1", text[end : match.start()]))
        parts.append(f"`{match.group(0)}`")
        end = match.end()
    parts.append(_MARKUP.sub(r"\\\1", text[end:]))
    return "".join(parts)


def reading_list(series: list[Part], posts_prefix: str) -> str:
    """The numbered list of the series for the home page (Markdown)."""
    return "\n".join(
        f"{n}. [{part.title}]({posts_prefix}{part.slug}.md): {_plain(part.description)}"
        for n, part in enumerate(series, start=1)
    )
