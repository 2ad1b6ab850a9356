"""HTML for a block's outputs: each output once, labelled with the interpreters that printed it.

Outputs are emitted as escaped HTML, never as Markdown: a printed line of
backticks cannot end a fence and a printed ``<script>`` is text. Ids carry a
per-page block number (``__ID__`` is replaced when the block is placed), so two
blocks on one page never share an id.

Each output sits in a frame of its own (``.snippet-output``, styled as a terminal by
docs/stylesheets/extra.css) whose first line says what it is: "Output · CPython
3.10.13–3.15.2 · Linux x86_64 · exit status 0".

Outputs are not indexed for search: the index is downloaded by every page, and it
should grow with the prose of a post, not with what its examples print. Material's
search plugin leaves out an element with ``data-search-exclude``, but it tells elements
apart by tag name only: an excluded ``<div>`` is indexed again from the first ``</div>``
inside it. So the attribute goes on elements with no descendant of their own tag: each
stream (stdout, stderr), the links' ``<p>``, the tab labels' row; on a frame and on a
tab set it only covers what comes before their first inner ``</div>`` (the title bar).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..executor.process import RunResult

ID = "__ID__"
#: Material's search plugin skips an element with this attribute, and all it holds.
NOT_INDEXED = "data-search-exclude"


@dataclass(frozen=True)
class Shown:
    """One output as the page shows it."""

    tab: str  # the tab title, e.g. "3.10.13–3.13.18"
    label: str  # e.g. "CPython 3.10.13–3.13.18 · Linux x86_64"
    result: RunResult  # with the build machine's paths shortened


def _pre(text: str) -> str:
    # Exactly "<pre><code>TEXT</code></pre>": fence._rendered finds stdout by it.
    return f"<pre><code>{escape(text)}</code></pre>"


def _lines(text: str, fold: int) -> str:
    """Escaped text; past ``fold`` lines the middle goes into a collapsed block."""
    lines = text.rstrip("\n").split("\n")
    if fold <= 0 or len(lines) <= fold:
        return _pre("\n".join(lines))
    head, tail = fold * 2 // 3, fold // 3
    middle = lines[head : len(lines) - tail]
    # A copy button on a third of an output would copy a third of it: none on any part
    # (Material adds none inside an element of class "no-copy").
    return (
        f'<div class="no-copy">{_pre(chr(10).join(lines[:head]))}'
        f'<details class="snippet-fold"><summary>{len(middle)} more lines</summary>'
        f"{_pre(chr(10).join(middle))}</details>"
        f"{_pre(chr(10).join(lines[-tail:]))}</div>"
    )


def _stream(name: str, text: str, fold: int, named: bool, stream_id: str) -> str:
    # The id: Material names each <pre> "__code_" + the id of its closest element that has
    # one, and its copy button copies "#that-name > code". Without an id here, every output
    # of a block (each tab, stdout and stderr) took the block's id, and copied the first.
    title = f'<span class="snippet-stream-name">{name}</span>' if named else ""
    kind = " snippet-stream--named" if named else ""
    return (
        f'<div class="snippet-stream snippet-{name}{kind}" id="{stream_id}-{name}" '
        f"{NOT_INDEXED}>{title}{_lines(text, fold)}</div>"
    )


def _status(result: RunResult) -> tuple[str, str]:
    """The words of the label, and the frame's state for the stylesheet."""
    if result.timed_out:
        return "stopped by the build", "stopped"
    return f"exit status {result.returncode}", "zero" if result.returncode == 0 else "nonzero"


def _frame(shown: Shown, fold: int, number: int) -> str:
    result = shown.result
    words, state = _status(result)
    stream_id = f"snippet-{ID}-{number}"
    parts = [
        f'<div class="snippet-output" data-exit="{escape(str(result.returncode))}" '
        f'data-status="{state}" {NOT_INDEXED}>',
        f'<p class="snippet-output-label">Output · {escape(shown.label)} · {escape(words)}</p>',
    ]
    both = bool(result.stderr)  # the streams are named only when there are two
    if result.stdout or not result.stderr:
        parts.append(_stream("stdout", result.stdout or "(no output)", fold, both, stream_id))
    if result.stderr:
        parts.append(_stream("stderr", result.stderr, fold, both, stream_id))
    parts.append("</div>")
    return "".join(parts)


def _tabs(shown: list[Shown], fold: int) -> str:
    name = f"__snippet_{ID}"
    inputs = "".join(
        f'<input {"checked " if n == 0 else ""}id="{name}_{n + 1}" name="{name}" type="radio">'
        for n in range(len(shown))
    )
    labels = "".join(
        f'<label for="{name}_{n + 1}">CPython {escape(item.tab)}</label>'
        for n, item in enumerate(shown)
    )
    blocks = "".join(
        f'<div class="tabbed-block">{_frame(item, fold, n + 1)}</div>'
        for n, item in enumerate(shown)
    )
    return (
        '<div class="tabbed-set tabbed-alternate snippet-versions-tabs" '
        f'data-tabs="1:{len(shown)}" {NOT_INDEXED}>'
        f'{inputs}<div class="tabbed-labels" {NOT_INDEXED}>{labels}</div>'
        f'<div class="tabbed-content">{blocks}</div></div>'
    )


def links(name: str, download: str, source: str) -> str:
    """Download the exact file that ran, or read it in the repository."""
    parts = [f'<a href="{escape(download)}" download>Download {escape(name)}</a>']
    if source:
        parts.append(f'<a href="{escape(source)}">{escape(name)} in the repository</a>')
    # No separator characters between the links: where the line wraps on a phone, one
    # would be left dangling at a line's end (the stylesheet spaces the links instead).
    return (
        f'<p class="snippet-links" {NOT_INDEXED}>{"".join(f"<span>{p}</span>" for p in parts)}</p>'
    )


def outputs(
    shown: list[Shown],
    *,
    footer: str = "",
    versions: str = "",
    reason: str = "",
    hangs_after: float | None = None,
    fold: int = 0,
) -> str:
    """One frame where every interpreter printed the same; one tab per group otherwise."""
    parts = [footer] if footer else []
    if versions:
        parts.append(
            f'<p class="snippet-versions">Runs on CPython {escape(versions)} only: '
            f"{escape(reason)}</p>"
        )
    parts.append(_frame(shown[0], fold, 1) if len(shown) == 1 else _tabs(shown, fold))
    if hangs_after is not None:
        parts.append(
            f'<p class="snippet-stopped">This example never finishes: the build stopped it '
            f"after {hangs_after:g} seconds and killed all its processes. The output "
            f"above is everything it printed until then.</p>"
        )
    return f'<div class="snippet-result" id="snippet-{ID}">' + "".join(parts) + "</div>"


def not_run(versions: str, reason: str) -> str:
    return (
        f'<p class="snippet-versions">Not run in this build: it needs CPython '
        f"{escape(versions)} ({escape(reason)}), which this machine lacks.</p>"
    )
