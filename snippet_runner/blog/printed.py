"""What a script printed, rendered when a fence asks for it: Markdown with a restricted
set of extensions (``markdown="true"``), and the allow-list every rendered output must
pass (``html="true"`` included): plain, well-formed markup, no script, style, event
handler, form, frame or image."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension
from markdown_exec import InsertHeadings, MarkdownConverter, markdown_config
from pymdownx.highlight import HighlightExtension

# -- printed Markdown -------------------------------------------------------------


class _NoRawHtml(Extension):
    """Raw HTML in printed Markdown is shown as text: it is never markup."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.deregister("html_block", strict=False)
        md.inlinePatterns.deregister("html", strict=False)


#: What printed Markdown may use: no snippet includes, no executed fences, no attribute
#: lists, no raw HTML (the page's own extensions would include files or run code).
_PRINTED_EXTENSIONS = (
    "abbr",
    "admonition",
    "def_list",
    "footnotes",
    "tables",
    "md_in_html",  # named, so that markdown-exec does not add it after _NoRawHtml
    "pymdownx.details",
    "pymdownx.inlinehilite",
    "pymdownx.superfences",
)


def _page_config(md: Any, kind: type) -> dict:
    for extension in md.registeredExtensions:
        if isinstance(extension, kind):
            return dict(extension.getConfigs())
    return {}


def render_markdown(text: str, md: Any, prefix: str, update_toc: bool) -> tuple[str, list]:
    """Printed Markdown as HTML, through markdown-exec's converter (ids prefixed as it
    does, headings collected for the ToC), with the restricted extensions above."""
    toc = {"permalink": True, **_page_config(md, TocExtension)}
    highlight = _page_config(md, HighlightExtension)
    extensions = [*_PRINTED_EXTENSIONS, TocExtension(**toc), "pymdownx.highlight", _NoRawHtml()]
    configs = {"tables": {"use_align_attribute": True}, "pymdownx.highlight": highlight}
    saved = (markdown_config.exts, markdown_config.exts_config)
    markdown_config.save(extensions, configs)
    try:
        converter = MarkdownConverter(md, update_toc=update_toc)
        html = converter.convert(text, id_prefix=prefix)
    finally:
        markdown_config.exts, markdown_config.exts_config = saved
    headings = []
    if update_toc:
        # Reported under this HTML; _format reports them under the block's final HTML.
        headings = md.treeprocessors[InsertHeadings.name].headings.pop(html, [])
    return str(html), headings


# -- printed HTML -----------------------------------------------------------------

_VOID = {"br", "hr", "wbr", "col"}
_TAGS = _VOID | {
    *("a", "abbr", "b", "blockquote", "caption", "code", "colgroup", "dd", "del", "details"),
    *("dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5"),
    *("h6", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small"),
    *("span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th"),
    *("thead", "tr", "u", "ul", "var"),
}
_CELL = {"align", "colspan", "rowspan", "scope", "headers"}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "name"},
    "td": _CELL,
    "th": _CELL,
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "details": {"open"},
}
_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


class _Checker(HTMLParser):
    """Accepts only well-formed HTML made of the tags and attributes above.

    It rejects rather than cleans: every ``<`` must open a tag it vetted (a bare
    one in text is refused, since a browser might read it differently), and
    every element must be closed, so printed markup cannot close the frame
    it is shown in.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self.open: list[str] = []

    def _vet(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAGS:
            self.problems.append(f"<{tag}> is not allowed")
            return
        for name, value in attrs:
            if name not in _ATTRIBUTES["*"] | _ATTRIBUTES.get(tag, set()):
                self.problems.append(f"the {name} attribute of <{tag}> is not allowed")
            elif name == "href":
                # Browsers ignore whitespace and control characters inside a scheme.
                url = re.sub(r"[\x00-\x20\x7f]", "", value or "").lower()
                scheme = _SCHEME.match(url)
                if scheme and scheme.group(1) not in _SCHEMES:
                    self.problems.append(f'href="{value}" is not an http(s) or mailto link')

    def handle_starttag(self, tag, attrs) -> None:
        self._vet(tag, attrs)
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs) -> None:
        self._vet(tag, attrs)
        if tag not in _VOID:  # a browser reads <div/> as an opening tag
            self.problems.append(f"<{tag}/> is not a void element; write <{tag}></{tag}>")

    def handle_endtag(self, tag) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()
        else:
            self.problems.append(f"</{tag}> closes no open <{tag}>")

    def handle_data(self, data) -> None:
        if "<" in data:
            self.problems.append("a '<' that starts no tag (write &lt;)")

    def handle_comment(self, data) -> None:
        self.problems.append("comments are not allowed")

    def handle_decl(self, decl) -> None:
        self.problems.append(f"<!{decl}> is not allowed")

    def unknown_decl(self, data) -> None:
        self.problems.append(f"<![{data[:20]}...> is not allowed")

    def handle_pi(self, data) -> None:
        self.problems.append(f"<?{data[:20]}> is not allowed")


def check_html(html: str) -> list[str]:
    """Why ``html`` cannot be injected into a page as printed (empty when it can)."""
    checker = _Checker()
    checker.feed(html)
    checker.close()
    problems = list(dict.fromkeys(checker.problems))
    problems += [f"<{tag}> is never closed" for tag in reversed(checker.open)]
    return problems
