"""The superfences entry points for ``python exec="on"`` blocks (named in mkdocs.yml).

Authors keep markdown-exec's fence syntax; markdown-exec places the source and
the output (``source="above"``, tabs, titles) through its ``base_format``. What
runs, and how, is the Build's: a script in a fresh interpreter, sandboxed,
under every configured CPython. This module holds no state: it finds the Build
on the Markdown instance, where the extension put it.
"""

from __future__ import annotations

import logging
import traceback
from html import escape
from typing import Any

import markdown_exec
from markdown_exec import base_format

from ..executor.options import RUN_KEYS
from .build import BlockError
from .extension import ATTRIBUTE
from .render import ID

log = logging.getLogger("mkdocs.plugins.snippet_runner")

#: markdown-exec options that cannot apply to a script run in another process.
REFUSED = {
    "session": "every block runs as its own script, so no state carries over between blocks",
    "workdir": "every block runs in a private temporary folder of its own",
    "html": "outputs are shown as text, escaped (printed HTML is never injected into the page)",
}


def validator(language: str, inputs: dict, options: dict, attrs: dict, md: Any) -> bool:
    """markdown-exec's validator, except that a bad ``returncode``/``width`` is reported by
    the formatter (naming the post) instead of raising inside superfences."""
    raw = {key: inputs.pop(key) for key in ("returncode", "width") if key in inputs}
    if not markdown_exec.validator(language, inputs, options, attrs, md):
        return False
    options["extra"].update(raw)
    return True


def formatter(
    source: str, language: str, css_class: str, options: dict, md: Any, **kwargs: Any
) -> str:
    """Every failure becomes a build error naming the post and the snippet, never a
    silently published fence (superfences would swallow an exception)."""
    build = getattr(md, ATTRIBUTE, None)
    extra = dict(options.get("extra", {}))
    include = extra.get("snippet_file", "")
    block = options.get("id") or extra.get("title", "")
    try:
        if build is None:
            raise BlockError(
                "the snippet_runner.blog.extension Markdown extension is not loaded: add it "
                "to markdown_extensions in mkdocs.yml"
            )
        return _format(build, source, language, dict(options), md)
    except BlockError as error:
        message = str(error)
        if error.replayed:  # Material's blog renders a post again: reported once already
            return f'<pre class="snippet-error"><code>{escape(message)}</code></pre>'
    except Exception as error:  # noqa: BLE001 - any failure must fail the build, loudly
        where = (
            build.where(build.layout.snippets_dir / include, block)
            if build and include
            else include
        )
        message = (
            f"{where or 'an executed block'}: the build failed while formatting this block "
            f"({type(error).__name__}: {error}). This is a bug in the build code or a damaged "
            "file; the traceback follows.\n" + traceback.format_exc(limit=-4)
        )
        if build is not None:
            build.fail(where, [message])
    log.warning(message)
    return f'<pre class="snippet-error"><code>{escape(message)}</code></pre>'


def _format(build, source: str, language: str, options: dict, md: Any) -> str:
    extra = dict(options.pop("extra", {}))
    include = extra.pop("snippet_file", None)
    block = options.get("id") or extra.get("title", "")
    if include is None:
        first = source.strip().splitlines()[0] if source.strip() else "(empty block)"
        raise BlockError(
            "An executed python block must include one whole snippet file: move the "
            f"code (starting `{first}`) to snippets/<post-slug>/<name>.py and write "
            'the fence body as `--8<-- "<post-slug>/<name>.py"`.'
        )
    for key, why in REFUSED.items():
        if options.get(key):
            where = build.where(build.layout.snippets_dir / include, block)
            raise BlockError(
                f'{where}: {key}="{str(options[key]).lower()}" does not apply here: {why}.'
            )
    run_options = {key: extra.pop(key) for key in list(extra) if key in RUN_KEYS}
    # markdown-exec's width would set COLUMNS in this process; the validator moved it
    # (and returncode) into the run's own options.
    options["width"] = None
    options["returncode"] = 0
    options["html"] = True

    def run(code: str, **_: Any) -> str:
        del code  # the file named by the include line runs, not the text
        if not build.config.execute:
            return ""
        html = build.block(include, run_options, block, build.config.fold_lines)
        md.snippet_blocks = getattr(md, "snippet_blocks", 0) + 1
        slug_name = include.replace("/", "-").removesuffix(".py")
        return html.replace(ID, f"{slug_name}-{md.snippet_blocks}")

    return base_format(language="python", run=run, code=source, md=md, extra=extra, **options)
