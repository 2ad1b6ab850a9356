"""The markdown-exec formatter for ``python exec="on"`` blocks.

mkdocs.yml points pymdownx.superfences at :func:`formatter` with markdown-exec's
own validator, so authors keep markdown-exec's fence syntax and options; this
module only replaces *how* the code runs: as a script in a fresh interpreter,
under every configured CPython version.
"""

from __future__ import annotations

import json
import logging
from html import escape
from pathlib import Path
from typing import Any

import markdown_exec
from markdown_exec import ExecutionError, base_format

from . import checks, expected, interpreters, results, settings
from .render import links, render
from .snippets import SnippetIndex, executions, post_for

# markdown-exec reports a failed block through its logger; route it into
# MkDocs' logger so that `mkdocs build --strict` counts it and fails.
markdown_exec.patch_loggers(lambda name: logging.getLogger(f"mkdocs.plugins.{name}"))
log = logging.getLogger("mkdocs.plugins.snippet_runner")

# MkDocs' hook sets the layout of the site it builds; Zensical runs no hooks but
# builds from the project folder.
_here = Path.cwd()
_layout = settings.Layout.from_root(_here) if (_here / "mkdocs.yml").is_file() else settings.PROJECT
_index = SnippetIndex(_layout)


def start_build(layout: settings.Layout | None = None) -> None:
    """Before pages render: run every block of the site that has no known result.

    Called by the MkDocs hook on each build and `mkdocs serve` reload. Blocks
    run in parallel; rendering then only reads results.
    """
    global _layout, _index
    if layout is not None and layout != _layout:
        _layout, _index = layout, SnippetIndex(layout)
    _index.refresh()
    _rendered.clear()
    if not settings.EXECUTE:
        log.info("SNIPPET_EXECUTE=off: no example runs in this build; outputs are missing")
        return
    results.forget_failures()
    jobs = []
    for snippet, fences in executions(_layout).items():
        if not snippet.is_file():
            continue  # pymdownx.snippets reports the missing file, naming the post
        for fence in fences:
            try:
                options = fence.run_options()
            except checks.OptionError:
                continue  # reported when the block renders
            jobs += _jobs(snippet.read_text(encoding="utf-8"), snippet.name, options)
    ran = results.run_all(jobs)
    log.info(f"ran {ran} of {len(jobs)} snippet runs; the rest were cached")


def _jobs(code: str, name: str, options: checks.RunOptions) -> list[results.Job]:
    return [
        results.Job(code, name, options, interpreter)
        for interpreter in interpreters.available()
        if options.runs_on(interpreter.version)
    ]


def _where(snippet: Path, block_id: str) -> str:
    text = f"{_layout.rel(post_for(snippet, _layout))}: snippet {_layout.rel(snippet)}"
    return text + (f" (block '{block_id}')" if block_id else "")


def _run_block(
    code: str, raw_options: dict[str, str], returncode: int, block_id: str, language: str
) -> str:
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
        jobs = _jobs(code, snippet.name, options)
    except (checks.OptionError, interpreters.MissingInterpreter) as error:
        raise ExecutionError(f"{where}: {error}") from None
    if not jobs:
        return (
            f'<p class="snippet-versions">Not run in this build: it needs CPython '
            f"{escape(options.versions)} ({escape(options.reason)}), which this machine "
            "lacks.</p>"
        )
    outputs = {job.interpreter: results.get(job) for job in jobs}
    problems = []
    for interpreter, result in outputs.items():
        problem = checks.verdict(result, options)
        if problem is not None:
            problems.append(f"under {interpreter.label} it {problem}")
        else:
            problems += expected.problems(snippet, result, interpreter.minor, root=_layout.root)
    if problems:
        _record_failure(where, problems)
        raise ExecutionError(f"{where}:\n" + "\n\n".join(problems))
    footer = links(snippet.name, _layout.download_url(snippet), _layout.source_url(snippet))
    return render(outputs, options, language, footer)


def _record_failure(where: str, problems: list[str]) -> None:
    """Append a failed block to $SNIPPET_FAILURES_FILE, if set.

    Zensical logs a failed block but still exits 0; its wrapper reads this file.
    """
    if settings.FAILURES_FILE:
        with open(settings.FAILURES_FILE, "a", encoding="utf-8") as file:
            file.write(json.dumps({"where": where, "problems": problems}) + "\n")


# Rendered blocks of this build: Material's blog renders each post again for
# the index, the archive and each category; the same block renders the same.
_rendered: dict[str, str] = {}


def format_python(code: str, md: Any, **options: Any) -> str:
    """A markdown-exec formatter (the signature of ``markdown_exec.formatters``)."""
    key = repr((code, sorted(options.items(), key=str)))
    if key not in _rendered:
        _rendered[key] = _format_python(code, md, **options)
    return _rendered[key]


def _format_python(code: str, md: Any, **options: Any) -> str:
    extra = dict(options.pop("extra", {}))
    ours = {key: extra.pop(key) for key in checks.OPTIONS if key in extra}
    output_language = options.pop("result", "") or "text"
    options.pop("html", None)

    def run(
        source: str, returncode: int = 0, session: str | None = None, id: str = "", **_: Any
    ) -> str:  # noqa: A002
        if session:
            raise ExecutionError('session="..." does not apply: every block runs as its own script')
        if not settings.EXECUTE:
            return ""
        return _run_block(source, ours, returncode, id or extra.get("title", ""), output_language)

    return base_format(language="python", run=run, code=code, md=md, extra=extra, **options)


# Also answer for markdown-exec's own plugin, if a site enables it.
markdown_exec.formatters["python"] = format_python
markdown_exec.formatters["py"] = format_python


def formatter(
    source: str, language: str, css_class: str, options: dict, md: Any, **kwargs: Any
) -> str:
    """The superfences ``format`` entry point named in mkdocs.yml."""
    return markdown_exec.formatter(source, language, css_class, options, md, **kwargs)


validator = markdown_exec.validator
