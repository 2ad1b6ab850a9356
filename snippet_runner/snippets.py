"""Find posts, the fences in them, and the snippet files those fences run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .checks import OPTIONS, RunOptions
from .settings import PROJECT, Layout

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>`{3,}|~{3,})[ \t]*(?P<info>[^`\n]*)$")
_OPTION = re.compile(r'(?P<key>[\w-]+)=(?:"(?P<dq>[^"]*)"|\'(?P<sq>[^\']*)\'|(?P<bare>\S+))')
_INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"(?P<path>[^"]+)"\s*$')
_FALSE = {"", "no", "off", "false", "0"}


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
        return self.options.get("exec", "no").lower() not in _FALSE

    @property
    def includes(self) -> list[str]:
        """Snippet paths included with ``--8<-- "path"`` lines."""
        return [m["path"] for line in self.body.splitlines() if (m := _INCLUDE.match(line))]

    @property
    def only_includes(self) -> bool:
        lines = [line for line in self.body.splitlines() if line.strip()]
        return bool(lines) and all(_INCLUDE.match(line) for line in lines)

    def run_options(self) -> RunOptions:
        ours = {key: self.options[key] for key in OPTIONS if key in self.options}
        return RunOptions.parse(ours, int(self.options.get("returncode", 0)))


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


def fences(post: Path) -> Iterator[Fence]:
    """Every fenced block of a Markdown file, nested ones (admonitions, tabs) included."""
    lines = post.read_text(encoding="utf-8").splitlines()
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


def front_matter(text: str) -> tuple[dict | None, str]:
    """A post's YAML front matter (None when it has none) and the Markdown after it.

    Raises yaml.YAMLError when the front matter is not valid YAML.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, text
    return yaml.safe_load(match.group(1)) or {}, text[match.end() :]


def posts(layout: Layout = PROJECT) -> list[Path]:
    return sorted(layout.posts_dir.glob("*.md"))


def snippet_files(layout: Layout = PROJECT) -> list[Path]:
    return sorted(p for p in layout.snippets_dir.glob("*/*.py") if p.is_file())


def post_for(snippet: Path, layout: Layout = PROJECT) -> Path:
    """The post a snippet belongs to: its folder is the post's slug."""
    return layout.posts_dir / f"{snippet.parent.name}.md"


def executions(layout: Layout = PROJECT) -> dict[Path, list[Fence]]:
    """Each snippet file that some fence executes, with those fences."""
    found: dict[Path, list[Fence]] = {}
    for post in posts(layout):
        for fence in fences(post):
            if fence.executed and fence.only_includes and len(fence.includes) == 1:
                found.setdefault(layout.snippets_dir / fence.includes[0], []).append(fence)
    return found


def normalise(code: str) -> str:
    # pymdownx.snippets and superfences drop the final newline of an included file.
    return code.rstrip("\n")


class SnippetIndex:
    """Which snippet file a block's code came from, by its exact text.

    pymdownx.snippets expands ``--8<--`` lines before markdown-exec sees the
    block, so the text is the only link left between a block and its file.
    """

    def __init__(self, layout: Layout = PROJECT) -> None:
        self.layout = layout
        self._by_text: dict[str, Path] = {}

    def refresh(self) -> None:
        self._by_text = {
            normalise(path.read_text(encoding="utf-8")): path for path in snippet_files(self.layout)
        }

    def find(self, code: str) -> Path | None:
        key = normalise(code)
        if key not in self._by_text:
            self.refresh()  # a file added or edited since the last look
        return self._by_text.get(key)
