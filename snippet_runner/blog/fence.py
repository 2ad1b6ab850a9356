"""The superfences entry points for ``python exec="on"`` blocks (named in mkdocs.yml).

Authors keep markdown-exec's fence syntax, and each of markdown-exec's options
either means here what it means there, adapted to a script run in another
process, or fails the build naming the post and the snippet and saying why
(README, "markdown-exec's options"). What runs, and how, is the Build's: a
script in a fresh interpreter, sandboxed, under every configured CPython.
This module decides what the options ask for, places the source the way
markdown-exec does (its ``add_source`` and ``MarkdownConverter``), and shows
what the script printed: as text by default, or rendered (Markdown, checked
HTML, a highlighted code block, a console transcript) when the fence asks.

It holds no state: it finds the Build on the Markdown instance, where the
extension put it.
"""

from __future__ import annotations

import logging
import re
import traceback
from dataclasses import dataclass, replace
from html import escape
from typing import Any
from uuid import uuid4

import markdown_exec
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE
from markdown_exec import InsertHeadings, MarkdownConverter, add_source
from markupsafe import Markup

from ..executor.config import is_on
from ..executor.options import OPTIONS as RUN_OPTIONS
from ..executor.options import RUN_KEYS
from . import posts, printed, render
from .build import BlockError
from .extension import ATTRIBUTE
from .render import NOT_INDEXED

log = logging.getLogger("mkdocs.plugins.snippet_runner")

#: markdown-exec 1.12.6's options for python blocks: the keys its validator reads.
UPSTREAM = (
    "exec",
    "id",
    "idprefix",
    "html",
    "source",
    "result",
    "returncode",
    "session",
    "updatetoc",
    "tabs",
    "workdir",
    "width",
)
#: Options markdown-exec hands back to the source code block (pymdownx.highlight's, Material's).
SOURCE_BLOCK = ("title", "hl_lines", "linenums")
#: This project's own: how a block runs (executor.options), and whether its output is Markdown.
OURS = (*RUN_OPTIONS, "markdown")
#: Set by the extension: the snippet file a block is bound to (never written by authors).
BOUND = "snippet_file"

#: Options that cannot apply to a script run in another process, and why.
REFUSED = {
    "session": "every block runs as its own script in a fresh interpreter, so no state "
    "carries over between blocks: put what they share in one snippet",
    "workdir": "every block runs in a private, empty temporary folder of its own "
    "(/tmp/snippet in the sandbox), never in a folder of this machine",
    # Newer markdown-exec versions have a cache option; this build caches every block.
    "cache": "the build caches every block already, keyed by the snippet, its options "
    "and the interpreter (README, 'Cache and parallel runs')",
}
#: What pymdownx.highlight takes on a code block that does not run.
_HIGHLIGHT = {"title", "hl_lines", "linenums", "title_mode"}
SOURCES = ("above", "below", "block", "material-block", "tabbed-left", "tabbed-right", "console")
TABBED = ("tabbed-left", "tabbed-right")


def validator(language: str, inputs: dict, options: dict, attrs: dict, md: Any) -> bool:
    """markdown-exec's validator, plus what the formatter needs to judge the options.

    A bad ``returncode``/``width`` would raise inside markdown-exec's validator,
    and superfences would then show the fence as text: they are moved to the
    run's options and reported by the formatter, naming the post. The options
    as written are kept, so that one given explicitly is never silently dropped.
    """
    written = dict(inputs)
    if not is_on(written.get("exec", "no")):
        # Not run: an ordinary code block, which superfences hands (these same inputs,
        # without exec, as markdown-exec leaves them) to pymdownx.highlight. Options
        # only a run takes would make it show the fence as paragraphs: refused instead.
        inputs.pop("exec", None)
        stray = sorted(set(written) - {"exec"} - _HIGHLIGHT)
        options.update(unexecuted=stray, written=written)
        return bool(stray)
    raw = {key: inputs.pop(key) for key in ("returncode", "width") if key in inputs}
    # Run only when the fence says exec: markdown-exec's MARKDOWN_EXEC_AUTO (an
    # environment variable) would make a build depend on the author's shell.
    markdown_exec.validator(language, inputs, options, attrs, md)
    options["extra"].update(raw)
    options["written"] = written
    return True


def formatter(
    source: str, language: str, css_class: str, options: dict, md: Any, **kwargs: Any
) -> str:
    """Every failure becomes a build error naming the post and the snippet, reported
    once however often the page renders, never a silently published fence."""
    build = getattr(md, ATTRIBUTE, None)
    extra = dict(options.get("extra", {}))
    include = extra.get(BOUND, "")
    block = options.get("id") or extra.get("title", "")
    where = include
    if build is not None and include:
        where = build.where(build.layout.snippets_dir / include, block)
    recorded = len(build.failures) if build is not None else 0
    try:
        if build is None:
            raise BlockError(
                "the snippet_runner.blog.extension Markdown extension is not loaded: add it "
                "to markdown_extensions in mkdocs.yml"
            )
        return _format(build, source, dict(options), md, where)
    except BlockError as error:
        message = str(error)
        if error.replayed:  # Material's blog renders a post again: reported once already
            return _error_html(message)
    except Exception as error:  # noqa: BLE001 - any failure must fail the build, loudly
        message = (
            f"{where or 'an executed block'}: the build failed while formatting this block "
            f"({type(error).__name__}: {error}). This is a bug in the build code or a damaged "
            "file; the traceback follows.\n" + traceback.format_exc(limit=-4)
        )
    if build is not None:
        failure = {"where": where, "problems": [message]}
        if failure in build.failures[:recorded]:  # the same refusal, rendered again
            return _error_html(message)
        if len(build.failures) == recorded:  # not recorded by the Build itself
            build.fail(where, [message])
    log.warning(message)
    return _error_html(message)


def _error_html(message: str) -> str:
    return f'<pre class="snippet-error"><code>{escape(message)}</code></pre>'


# -- what the options ask for ---------------------------------------------------


@dataclass(frozen=True)
class Show:
    """How a block's source and output are shown, once its options are judged."""

    source: str = ""  # markdown-exec's location, "" for none
    tabs: tuple[str, str] = markdown_exec.default_tabs
    result: str = ""  # a language: stdout as a code block highlighted in it
    html: bool = False  # stdout is HTML, checked then injected
    markdown: bool = False  # stdout is Markdown, rendered
    prefix: str | None = None  # for ids; None: the block's own
    update_toc: bool = True

    @property
    def rendered(self) -> bool:
        """Whether stdout is shown otherwise than as escaped text."""
        return bool(self.result or self.html or self.markdown or self.source == "console")


def judge(options: dict, where: str) -> Show:
    """The Show an executed block's options ask for, or a BlockError saying why they cannot."""
    written = options.get("written", {})

    def refuse(key: str, why: str) -> BlockError:
        value = written.get(key, options.get(key, ""))
        return BlockError(f'{where}: {key}="{value}" does not apply here: {why}.')

    known = {*UPSTREAM, *SOURCE_BLOCK, *OURS, BOUND}
    for key, value in written.items():
        if key in REFUSED and value:  # an empty value means none, as in markdown-exec
            raise refuse(key, REFUSED[key])
        if key not in known and key not in REFUSED:
            raise refuse(
                key,
                "it is not an option of markdown-exec's python blocks nor of this site "
                f"(options: {', '.join(sorted(known - {BOUND}))}); a misspelt option "
                "would otherwise be ignored",
            )
    source = options.get("source", "")
    if source not in ("", *SOURCES):
        raise refuse("source", f"the source can be shown {', '.join(SOURCES)}")
    tabs = tuple(options.get("tabs") or markdown_exec.default_tabs)
    if "tabs" in written:
        if source not in TABBED:
            raise refuse("tabs", 'it names the tabs of source="tabbed-left" or "tabbed-right"')
        if len(tabs) != 2:
            raise refuse("tabs", 'it takes two titles, "Source|Result" (escape a | as \\|)')
    for key in ("hl_lines", "linenums"):
        if key in written and not source:
            raise refuse(key, "it styles the source block, and this block shows no source")
    html = bool(options.get("html"))
    wants_markdown = is_on(written.get("markdown", "no"))
    result = options.get("result", "")
    if html and wants_markdown:
        raise refuse("markdown", 'html="true" already says the output is HTML: choose one')
    for key, on in (("html", html), ("markdown", wants_markdown)):
        if on and result:
            raise refuse("result", f'it shows the output as code, and {key}="true" renders it')
        if on and source == "console":
            raise refuse(
                "source",
                f'a console transcript shows the output as text, and {key}="true" renders it',
            )
    for key in ("idprefix", "updatetoc"):
        if key in written and not wants_markdown:
            raise refuse(
                key,
                "it applies to headings and ids of output rendered as Markdown "
                '(markdown="true"); this output is shown as '
                + ("HTML, as printed" if html else "text"),
            )
    prefix = options.get("id_prefix")
    if prefix is None and options.get("id"):
        prefix = f"{options['id']}-"
    return Show(
        source="block" if source == "material-block" else source,  # markdown-exec's new name
        tabs=tabs,  # type: ignore[arg-type]
        result=result,
        html=html,
        markdown=wants_markdown,
        prefix=prefix,
        update_toc=bool(options.get("update_toc", True)),
    )


# -- formatting -------------------------------------------------------------------


def _format(build, source: str, options: dict, md: Any, where: str) -> str:
    if options.get("unexecuted"):
        first = source.strip().splitlines()[0] if source.strip() else "(empty block)"
        written = options.get("written", {})
        given = " ".join(f'{key}="{written[key]}"' for key in options["unexecuted"])
        runs = f'exec="{written["exec"]}"' if "exec" in written else 'no exec="on"'
        raise BlockError(
            f"The python block starting `{first}` does not run ({runs}) but has {given}: "
            'options of a block that runs. Remove them, or write exec="on".'
        )
    extra = dict(options.get("extra", {}))
    include = extra.pop(BOUND, None)
    block = options.get("id") or extra.get("title", "")
    if include is None:
        first = source.strip().splitlines()[0] if source.strip() else "(empty block)"
        raise BlockError(
            "An executed python block must include one whole snippet file: move the "
            f"code (starting `{first}`) to snippets/<post-slug>/<name>.py and write "
            'the fence body as `--8<-- "<post-slug>/<name>.py"`.'
        )
    show = judge(options, where)
    run_options = {key: extra.pop(key) for key in list(extra) if key in RUN_KEYS}
    extra.pop("markdown", None)
    # Ids are unique on the page and the same in every build: the post's block number.
    md.snippet_blocks = getattr(md, "snippet_blocks", 0) + 1
    block_id = f"{include.replace('/', '-').removesuffix('.py')}-{md.snippet_blocks}"
    prefix = show.prefix if show.prefix is not None else f"{block_id}--"
    headings: list = []
    output = ""
    if build.config.execute:
        output = build.block(include, run_options, block)
        if show.rendered:
            output, headings = _rendered(
                build, include, run_options, show, source, extra, md, prefix, where, output
            )
        output = output.replace(render.ID, block_id)
        # Python-Markdown marks its stash with STX/ETX and replaces such markers in the
        # page's HTML until none is left: printed ones would pull in other markup (or
        # recurse forever). Shown as \x02 and \x03, as the executor shows stray bytes.
        output = output.replace("\x02", "\\x02").replace("\x03", "\\x03")
    elif show.source == "console":
        output = _console(source, "", show, extra, md, prefix)[0]
    if show.source in ("", "console"):
        final = Markup(output)  # noqa: S704 - built from escaped or checked parts
    else:
        # markdown-exec's own placement of the source (its base_format, html=True),
        # with this block's id prefix on the ids it makes (the tabs of tabbed-*).
        placeholder = f'<div class="{uuid4()}"></div>'
        wrapped = add_source(
            source=source,
            location=show.source,
            output=placeholder,
            language="python",
            tabs=show.tabs,
            **extra,
        )
        converter = MarkdownConverter(md, update_toc=show.update_toc)
        final = converter.convert(wrapped, stash={placeholder: output}, id_prefix=prefix)
    if InsertHeadings.name in md.treeprocessors:
        # markdown-exec adds a block's headings to the ToC by the exact HTML it returns,
        # and keeps them for the life of the Markdown instance: an earlier render of
        # the same block must not put headings back that updatetoc="no" now leaves out.
        reported = md.treeprocessors[InsertHeadings.name].headings
        reported.pop(final, None)
        if headings and show.update_toc:
            reported[final] = headings
            if _Unwrap.name not in md.treeprocessors:
                md.treeprocessors.register(_Unwrap(md), _Unwrap.name, 3)
    return final


class _Unwrap(Treeprocessor):
    """Lets Python-Markdown unwrap a block that reported headings from its paragraph.

    markdown-exec puts a block's headings in its paragraph while the ToC is built
    (prettify then adds a newline), removes them, and leaves ``<p>BLOCK\n</p>``:
    no longer the ``<p>BLOCK</p>`` that Python-Markdown replaces by the block alone,
    so the page would get a ``<div>`` inside a ``<p>``. Runs after markdown-exec's
    RemoveHeadings (priority 4).
    """

    name = "snippet_runner_unwrap"

    def run(self, root) -> None:
        for element in root.iter("p"):
            text = element.text or ""
            if len(element) == 0 and HTML_PLACEHOLDER_RE.fullmatch(text.strip()):
                element.text = text.strip()


def _shown(build, include: str, run_options: dict):
    """The outputs of a block that passed its checks, grouped as Build.block groups them."""
    layout = build.layout
    snippet = posts.resolve_include(include, layout, build.where(layout.snippets_dir / include))
    options = build.options(run_options)
    results = build.results(snippet, options)
    return snippet, options, build.groups(snippet, results) if results else []


def _rendered(build, include, run_options, show: Show, source, extra, md, prefix, where, text):
    """The block's outputs with stdout rendered as ``show`` asks; and its ToC headings.

    ``text`` is the block as Build.block drew it, kept when nothing ran here.
    render.outputs draws the frame (links, labels, version tabs, stderr); each
    group's stdout goes in as a token, replaced by its rendering afterwards.
    """
    snippet, options, shown = _shown(build, include, run_options)
    if not shown:  # not run here (a version this machine lacks): nothing printed to render
        return text, []
    tokens: dict[str, str] = {}
    headings: list = []
    framed = []
    for n, item in enumerate(shown):
        result = item.result
        group_prefix = prefix if n == 0 else f"{prefix}{n + 1}-"
        if show.source == "console":
            html, _ = _console(source, _transcript(result), show, extra, md, group_prefix)
            result = replace(result, stderr="")
        elif not result.stdout:
            framed.append(item)
            continue
        elif show.result:
            html, _ = _code(result.stdout, show.result, {}, md, group_prefix)
        elif show.html:
            problems = printed.check_html(result.stdout)
            if problems:
                raise BlockError(_unsafe(where, item.label, "HTML", problems))
            html = f'<div class="snippet-rendered" {NOT_INDEXED}>{result.stdout}</div>'
        else:
            rendered, found = printed.render_markdown(
                result.stdout, md, group_prefix, show.update_toc and n == 0
            )
            problems = printed.check_html(rendered)
            if problems:
                raise BlockError(_unsafe(where, item.label, "Markdown", problems))
            html = f'<div class="snippet-rendered" {NOT_INDEXED}>{rendered}</div>'
            headings = headings or found
        token = f"snippet-stdout-{uuid4().hex}"
        tokens[token] = html
        framed.append(replace(item, result=replace(result, stdout=token)))
    layout = build.layout
    # What Build.block puts before the outputs (a preview's "not recorded yet" banner).
    page = text.split('<div class="snippet-result"', 1)[0] + render.outputs(
        framed,
        footer=render.links(snippet.name, layout.download_url(snippet), layout.source_url(snippet)),
        versions=options.versions,
        reason=options.reason,
        hangs_after=options.timeout if options.hangs else None,
    )
    for token, html in tokens.items():
        # The whole <pre> goes: what replaces it is a block of its own (code, or markup).
        pattern = rf"<pre\b[^>]*><code\b[^>]*>{token}</code></pre>"
        page, found = re.subn(pattern, lambda _, html=html: html, page)  # taken as is
        if found != 1:
            raise RuntimeError(
                "render.outputs no longer writes stdout as <pre ...><code>TEXT</code></pre>; "
                "fence._rendered must follow it"
            )
    return page, headings


def _unsafe(where: str, label: str, kind: str, problems: list[str]) -> str:
    option = "html" if kind == "HTML" else "markdown"
    return (
        f"{where}: under {label} it printed {kind} that this site does not inject "
        f'({option}="true"): ' + "; ".join(problems[:5]) + ". Only plain, well-formed "
        "markup is shown as printed (text, headings, lists, tables, code, links to "
        "http(s), mailto or this site): never scripts, styles, event handlers, forms, "
        f'frames or images. Print it escaped, or drop {option}="true" to show the output '
        "as text."
    )


def _transcript(result) -> str:
    """What a terminal would show after the source: stdout, then stderr."""
    return "\n".join(text.rstrip("\n") for text in (result.stdout, result.stderr) if text)


def _fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in ``text``, which cannot end it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _code(text: str, language: str, extra: dict, md: Any, prefix: str):
    """``text`` as a code block highlighted in ``language``, like the page's own blocks."""
    fence = _fence(text)
    opts = "".join(f' {key}="{value}"' for key, value in extra.items())
    html, _ = printed.render_markdown(
        f"{fence}{language}{opts}\n{text}\n{fence}\n", md, prefix, False
    )
    # Outputs stay out of the search index (render.py): a <pre> holds no <pre>.
    return re.sub(r"<pre\b", f"<pre {NOT_INDEXED}", html), []


def _console(source: str, printed: str, show: Show, extra: dict, md: Any, prefix: str):
    """markdown-exec's console: the source, then what it printed, in one code block."""
    shown = "\n".join(
        line for line in source.split("\n") if "markdown-exec: hide" not in line
    ).strip()
    text = shown + ("\n" + printed if printed else "")
    return _code(text, show.result or "python", extra, md, prefix)
