"""The markdown-exec formatter for ``python exec="on"`` blocks.

mkdocs.yml points pymdownx.superfences at :func:`formatter` (with markdown-exec's
own validator), so authors keep markdown-exec's fence syntax and options; this
module only replaces *how* the code runs: as a script in a fresh interpreter.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from typing import Any

import markdown_exec
from markdown_exec import ExecutionError, base_format, code_block

from . import __version__, checks, expected, interpreter, settings
from .process import RunResult, run_script
from .snippets import SnippetIndex, post_for

# markdown-exec reports a failed block through its logger; route it into
# MkDocs' logger so that `mkdocs build --strict` counts it and fails.
markdown_exec.patch_loggers(lambda name: logging.getLogger(f"mkdocs.plugins.{name}"))

_layout = settings.PROJECT
_index = SnippetIndex(_layout)
# One run per block per build: Material's blog renders a post again for the
# index, the archive and each category page.
_results: dict[str, RunResult] = {}
_build = 0
_failed_in_build: dict[str, int] = {}


def start_build(layout: settings.Layout | None = None) -> None:
    """Forget failed runs, so the next build (or `mkdocs serve` reload) retries them."""
    global _build, _layout, _index
    _build += 1
    if layout is not None and layout != _layout:
        _layout, _index = layout, SnippetIndex(layout)
    _index.refresh()
    for key, build in list(_failed_in_build.items()):
        if build < _build:
            _results.pop(key, None)
            del _failed_in_build[key]


def run_key(code: str, name: str, options: checks.RunOptions, python: str) -> str:
    """Everything that can change what a run prints."""
    material = {
        "executor": __version__,
        "python": python,
        "interpreter": interpreter.describe(python),
        "environment": sorted(settings.run_environment("<tmp>").items()),
        "name": name,
        "timeout": options.timeout,
        "code": code,
    }
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()


def _run_once(code: str, name: str, options: checks.RunOptions, python: str) -> RunResult:
    key = run_key(code, name, options, python)
    if key not in _results:
        _results[key] = run_script(code, name=name, timeout=options.timeout, python=python)
    return _results[key]


def render(result: RunResult, options: checks.RunOptions, label: str, language: str) -> str:
    """Markdown for the output: real stdout and stderr, labelled with the interpreter."""
    status = ""
    if result.returncode:
        status = f" · exit status {result.returncode}"
    blocks = []
    if result.stderr:
        blocks.append(code_block(language, result.stdout.rstrip("\n") or "(nothing)", title=f"stdout · {label}{status}"))
        blocks.append(code_block(language, result.stderr.rstrip("\n"), title=f"stderr · {label}{status}"))
    else:
        blocks.append(code_block(language, result.stdout.rstrip("\n") or "(no output)", title=f"Output · {label}{status}"))
    if result.timed_out:
        blocks.append(
            f'<p class="snippet-stopped">This example never finishes: the build stopped it '
            f"after {options.timeout:g} seconds and killed all its processes. Above is "
            f"everything it printed until then.</p>"
        )
    return "\n\n".join(blocks)


def _where(snippet, block_id: str) -> str:
    post = post_for(snippet, _layout)
    text = f"{_layout.rel(post)}: snippet {_layout.rel(snippet)}"
    return text + (f" (block '{block_id}')" if block_id else "")


def _run_block(code: str, raw_options: dict[str, str], returncode: int, block_id: str, language: str) -> str:
    snippet = _index.find(code)
    if snippet is None:
        first = code.strip().splitlines()[0] if code.strip() else "(empty block)"
        raise ExecutionError(
            "An executed python block must include one whole snippet file: move the "
            f"code (starting `{first}`) to snippets/<post-slug>/<name>.py and write "
            'the fence body as `--8<-- "<post-slug>/<name>.py"`.'
        )
    where = _where(snippet, block_id)
    try:
        options = checks.RunOptions.parse(raw_options, returncode)
    except checks.OptionError as error:
        raise ExecutionError(f"{where}: {error}") from None
    python = sys.executable
    result = _run_once(code, snippet.name, options, python)
    problem = checks.verdict(result, options)
    if problem is None:
        drift = expected.problems(snippet, result, root=_layout.root)
        problem = "\n\n".join(drift) or None
    if problem is not None:
        _failed_in_build[run_key(code, snippet.name, options, python)] = _build
        raise ExecutionError(f"{where}: {problem}")
    return render(result, options, interpreter.describe(python), language)


def format_python(code: str, md: Any, **options: Any) -> str:
    """A markdown-exec formatter (the signature of ``markdown_exec.formatters``)."""
    extra = dict(options.pop("extra", {}))
    ours = {key: extra.pop(key) for key in checks.OPTIONS if key in extra}
    output_language = options.pop("result", "") or "text"
    options.pop("html", None)

    def run(source: str, returncode: int = 0, session: str | None = None, id: str = "", **_: Any) -> str:  # noqa: A002
        if session:
            raise ExecutionError('session="..." does not apply: every block runs as its own script')
        return _run_block(source, ours, returncode, id or extra.get("title", ""), output_language)

    return base_format(language="python", run=run, code=code, md=md, extra=extra, **options)


# Also answer for markdown-exec's own plugin, if a site enables it.
markdown_exec.formatters["python"] = format_python
markdown_exec.formatters["py"] = format_python


def formatter(source: str, language: str, css_class: str, options: dict, md: Any, **kwargs: Any) -> str:
    """The superfences ``format`` entry point named in mkdocs.yml."""
    return markdown_exec.formatter(source, language, css_class, options, md, **kwargs)


validator = markdown_exec.validator
