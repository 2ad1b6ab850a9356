"""Posts, the fences in them, and the snippet files those fences run.

A post is ``<posts_dir>/<slug>.md``; its examples are ``<snippets_dir>/<slug>/*.py``.
An executed block names its snippet with one include line
(``--8<-- "<slug>/<name>.py"``): that line, not the text it expands to, binds
the block to its file, its expected outputs and its links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..executor.config import is_on
from .layout import Layout

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
_OPTION = re.compile(r'(?P<key>[\w-]+)=(?:"(?P<dq>[^"]*)"|\'(?P<sq>[^\']*)\'|(?P<bare>\S+))')
INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+(?P<q>["\'])(?P<path>[^"\']+)(?P=q)\s*$')
#: The fence languages this site executes (markdown-exec's python and its alias).
PYTHON = {"python", "py"}


class PostError(ValueError):
    """A post or fence that cannot be built as written (the message says what to do)."""


@dataclass(frozen=True)
class Fence:
    """One fenced code block of a post."""

    post: Path
    line: int  # 1-based line of the opening fence
    language: str
    options: dict[str, str] = field(hash=False)
    body: str

    @property
    def executed(self) -> bool:
        return is_on(self.options.get("exec", "no"))

    @property
    def includes(self) -> list[str]:
        """Snippet paths included with ``--8<-- "path"`` lines."""
        return [m["path"] for line in self.body.splitlines() if (m := INCLUDE.match(line))]

    @property
    def only_includes(self) -> bool:
        lines = [line for line in self.body.splitlines() if line.strip()]
        return bool(lines) and all(INCLUDE.match(line) for line in lines)

    def where(self, layout: Layout) -> str:
        return f"{layout.rel(self.post)}:{self.line}"


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """Split ``python exec="on" title="x"`` into a language and its options."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        info = info[1:-1].strip().lstrip(".")
    language, _, rest = info.partition(" ")
    options = {
        m["key"]: next(v for v in (m["dq"], m["sq"], m["bare"]) if v is not None)
        for m in _OPTION.finditer(rest)
    }
    return language, options


def fences_in(text: str, post: Path) -> Iterator[Fence]:
    """Every fenced block of Markdown text, nested ones (admonitions, tabs) included."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opened = _FENCE_OPEN.match(lines[i])
        if not opened:
            i += 1
            continue
        mark, indent = opened["mark"], len(opened["indent"])
        closing = re.compile(rf"^[ \t]*{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$")
        body = []
        j = i + 1
        while j < len(lines) and not closing.match(lines[j]):
            body.append(lines[j][indent:] if lines[j][:indent].strip() == "" else lines[j])
            j += 1
        language, options = parse_info(opened["info"])
        yield Fence(post, i + 1, language, options, "\n".join(body))
        i = j + 1


def fences(post: Path) -> Iterator[Fence]:
    return fences_in(read_text(post), post)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise PostError(
            f"{path}: not UTF-8 ({error.reason} at byte {error.start}); save it as UTF-8"
        ) from None


def front_matter(text: str) -> tuple[dict | None, str]:
    """A post's YAML front matter (None when it has none) and the Markdown after it.

    Raises yaml.YAMLError when the front matter is not valid YAML, and PostError
    when it is valid YAML but not a mapping.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, text
    meta = yaml.safe_load(match.group(1)) or {}
    if not isinstance(meta, dict):
        raise PostError("the front matter is not a mapping of `key: value` lines")
    return meta, text[match.end() :]


def problems(layout: Layout) -> list[str]:
    """What would stop a post from building, as one line each naming the post and the fix.

    The blog plugin would raise a bare KeyError for an unknown author, and a front
    matter that is a list would fail deep inside the build; this says it first.
    """
    known: set[str] | None = None
    if layout.authors_file is not None and layout.authors_file.is_file():
        try:
            data = yaml.safe_load(read_text(layout.authors_file)) or {}
            known = set((data.get("authors") or {}) if isinstance(data, dict) else {})
        except (yaml.YAMLError, PostError) as error:
            return [f"{layout.rel(layout.authors_file)}: not valid ({error})"]
    found = []
    for post in posts(layout):
        where = layout.rel(post)
        try:
            meta, _ = front_matter(read_text(post))
        except yaml.YAMLError as error:
            found.append(f"{where}: the front matter is not valid YAML ({error})")
            continue
        except PostError as error:
            found.append(f"{where}: {str(error).removeprefix(f'{post}: ')}")
            continue
        for author in (meta or {}).get("authors") or []:
            if known is not None and author not in known:
                found.append(
                    f"{where}: author {author!r} is not in {layout.rel(layout.authors_file)} "
                    f"(known: {', '.join(sorted(known)) or 'none'}); add it there or sign `editors`"
                )
    return found


def is_draft(post: Path) -> bool:
    try:
        meta, _ = front_matter(read_text(post))
    except (yaml.YAMLError, PostError):
        return False  # reported by the front-matter test and the blog plugin
    return bool((meta or {}).get("draft"))


def posts(layout: Layout) -> list[Path]:
    return sorted(layout.posts_dir.glob("*.md"))


def published(layout: Layout) -> list[Path]:
    return [post for post in posts(layout) if not is_draft(post)]


def snippet_files(layout: Layout) -> list[Path]:
    return sorted(p for p in layout.snippets_dir.glob("*/*.py") if p.is_file())


def post_for(snippet: Path, layout: Layout) -> Path:
    """The post a snippet belongs to: its folder is the post's slug."""
    return layout.posts_dir / f"{snippet.parent.name}.md"


def resolve_include(path: str, layout: Layout, where: str) -> Path:
    """The snippet file an executed block includes, refusing anything outside snippets/.

    A symlink, a ``..`` path, a named region or a file of another post would
    publish something the post's reviewers never saw as its example.
    """
    if ":" in path or "[" in path:
        raise PostError(
            f'{where}: an executed block includes "{path}", a part of a file; it must include '
            "one whole snippet file (named regions are for blocks that only show code)"
        )
    candidate = layout.snippets_dir / path
    step = layout.snippets_dir
    for name in Path(path).parts:
        step = step / name
        if step.is_symlink():
            raise PostError(
                f'{where}: "{path}" is (or is inside) a symbolic link; snippets must be real '
                f"files under {layout.rel(layout.snippets_dir)}/"
            )
    try:
        relative = candidate.resolve(strict=False).relative_to(layout.snippets_dir.resolve())
    except ValueError:
        raise PostError(
            f'{where}: "{path}" is outside {layout.rel(layout.snippets_dir)}/'
        ) from None
    if len(relative.parts) != 2 or relative.suffix != ".py":
        raise PostError(f'{where}: "{path}" must name a file snippets/<post-slug>/<name>.py')
    return candidate


def executions(layout: Layout, *, drafts: bool = False) -> dict[Path, list[Fence]]:
    """Each snippet file that some fence executes, with those fences (drafts left out)."""
    found: dict[Path, list[Fence]] = {}
    for post in posts(layout) if drafts else published(layout):
        for fence in fences(post):
            if fence.executed and fence.only_includes and len(fence.includes) == 1:
                try:
                    snippet = resolve_include(fence.includes[0], layout, fence.where(layout))
                except PostError:
                    continue  # reported when the block renders, naming the post
                found.setdefault(snippet, []).append(fence)
    return found


#: Lines the part of a post before its excerpt separator may refer to: link
#: references (``[name]: url``) and abbreviations (``*[HTML]: ...``).
_DEFINITION = re.compile(r"^ {0,3}(?:\[[^\]^][^\]]*\]|\*\[[^\]]+\]):\s*\S")
_FENCE_MARK = re.compile(r"^\s*(`{3,}|~{3,})")
#: What stands for the rest of the post: Material shows "Continue reading" only
#: when something follows the separator.
REST = "(the rest of the post)"


def excerpt_source(lines: list[str], separator: str) -> list[str]:
    """A post's Markdown cut after its excerpt separator, keeping what the excerpt uses.

    Material's blog converts a post's whole Markdown for each list that shows its
    excerpt, then keeps the HTML before the separator: every example of the post
    would be formatted again for nothing. The lines before the separator, the
    separator, a stand-in paragraph for the rest (so that the excerpt still has a
    "Continue reading" link) and the rest's link and abbreviation definitions make
    the same excerpt. A post without the separator (outside a code block) is kept whole.
    """
    fence = ""
    for index, line in enumerate(lines):
        mark = _FENCE_MARK.match(line)
        if mark and (not fence or mark.group(1).startswith(fence)):
            fence = "" if fence else mark.group(1)
        elif not fence and line.strip() == separator:
            definitions = [line for line in lines[index + 1 :] if _DEFINITION.match(line)]
            return [*lines[: index + 1], "", REST, "", *definitions]
    return lines
