"""HTML for a block's outputs: each output once, labelled with the interpreters that printed it.

Outputs are emitted as escaped HTML, never as Markdown: a printed line of
backticks cannot end a fence and a printed ``<script>`` is text. Ids carry a
per-page block number (``__ID__`` is replaced when the block is placed), so two
blocks on one page never share an id.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..executor.process import RunResult

ID = "__ID__"


@dataclass(frozen=True)
class Shown:
    """One output as the page shows it."""

    tab: str  # the tab title, e.g. "3.10.13–3.13.18"
    label: str  # e.g. "CPython 3.10.13–3.13.18 · Linux x86_64"
    result: RunResult  # with the build machine's paths shortened


def _lines(text: str, fold: int) -> str:
    """Escaped text; past ``fold`` lines the middle goes into a collapsed block."""
    lines = text.rstrip("\n").split("\n")
    if fold <= 0 or len(lines) <= fold:
        return f"<pre><code>{escape(chr(10).join(lines))}</code></pre>"
    head, tail = fold * 2 // 3, fold // 3
    middle = lines[head : len(lines) - tail]
    return (
        f"<pre><code>{escape(chr(10).join(lines[:head]))}</code></pre>"
        f'<details class="snippet-fold"><summary>{len(middle)} more lines</summary>'
        f"<pre><code>{escape(chr(10).join(middle))}</code></pre></details>"
        f"<pre><code>{escape(chr(10).join(lines[-tail:]))}</code></pre>"
    )


def _stream(name: str, text: str, fold: int, named: bool) -> str:
    title = f'<span class="snippet-stream-name">{name}</span>' if named else ""
    return f'<div class="snippet-stream snippet-{name}">{title}{_lines(text, fold)}</div>'


def _frame(shown: Shown, fold: int) -> str:
    result = shown.result
    status = "stopped by the build" if result.timed_out else f"exit status {result.returncode}"
    parts = [
        f'<div class="snippet-output" data-exit="{escape(str(result.returncode))}">',
        f'<p class="snippet-output-label">Output · {escape(shown.label)} · {escape(status)}</p>',
    ]
    both = bool(result.stderr)  # the streams are named only when there are two
    if result.stdout or not result.stderr:
        parts.append(_stream("stdout", result.stdout or "(no output)", fold, both))
    if result.stderr:
        parts.append(_stream("stderr", result.stderr, fold, both))
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
    blocks = "".join(f'<div class="tabbed-block">{_frame(item, fold)}</div>' for item in shown)
    return (
        '<div class="tabbed-set tabbed-alternate snippet-versions-tabs" '
        f'data-tabs="1:{len(shown)}">'
        f'{inputs}<div class="tabbed-labels">{labels}</div>'
        f'<div class="tabbed-content">{blocks}</div></div>'
    )


def links(name: str, download: str, source: str) -> str:
    """Download the exact file that ran, or read it in the repository."""
    parts = [f'<a href="{escape(download)}" download>Download {escape(name)}</a>']
    if source:
        parts.append(f'<a href="{escape(source)}">{escape(name)} in the repository</a>')
    return f'<p class="snippet-links">{"".join(f"<span>{p}</span>" for p in parts)}</p>'


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
    parts.append(_frame(shown[0], fold) if len(shown) == 1 else _tabs(shown, fold))
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
