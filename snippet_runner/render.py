"""Markdown for a block's outputs: each real output once, labelled with its interpreters."""

from __future__ import annotations

from html import escape

from markdown_exec import code_block, tabbed

from .checks import RunOptions
from .interpreters import Interpreter, span, versions
from .process import RunResult


def _blocks(result: RunResult, label: str, language: str) -> str:
    status = f" · exit status {result.returncode}" if result.returncode else ""
    if not result.stderr:
        text = result.stdout.rstrip("\n") or "(no output)"
        return code_block(language, text, title=f"Output · {label}{status}")
    return "\n\n".join(
        [
            code_block(
                language,
                result.stdout.rstrip("\n") or "(nothing)",
                title=f"stdout · {label}{status}",
            ),
            code_block(language, result.stderr.rstrip("\n"), title=f"stderr · {label}{status}"),
        ]
    )


def _shown(result: RunResult) -> tuple:
    return (result.stdout, result.stderr, result.returncode, result.timed_out)


def links(name: str, download: str, source: str) -> str:
    """Download the exact file that ran, or read it in the repository."""
    parts = [f'<a href="{escape(download)}" download>Download {escape(name)}</a>']
    if source:
        parts.append(f'<a href="{escape(source)}">{escape(name)} in the repository</a>')
    return f'<p class="snippet-links">{" · ".join(parts)}</p>'


def render(
    results: dict[Interpreter, RunResult],
    options: RunOptions,
    language: str = "text",
    footer: str = "",
) -> str:
    """One output where every interpreter printed the same; tabs per version otherwise."""
    groups: dict[tuple, list[Interpreter]] = {}
    for interpreter in sorted(results):
        groups.setdefault(_shown(results[interpreter]), []).append(interpreter)
    parts = [footer] if footer else []
    if options.versions:
        parts.append(
            f'<p class="snippet-versions">Runs on CPython {escape(options.versions)} only: '
            f"{escape(options.reason)}</p>"
        )
    if len(groups) == 1:
        (interpreters,) = groups.values()
        parts.append(_blocks(results[interpreters[0]], span(interpreters), language))
    else:
        parts.append(
            tabbed(
                *(
                    (
                        f"CPython {versions(group)}",
                        _blocks(results[group[0]], span(group), language),
                    )
                    for group in groups.values()
                )
            )
        )
    if options.hangs:
        parts.append(
            f'<p class="snippet-stopped">This example never finishes: the build stopped it '
            f"after {options.timeout:g} seconds and killed all its processes. The output "
            f"above is everything it printed until then.</p>"
        )
    return "\n\n".join(parts)
