"""One Build per site build (or per `serve` reload): all of a build's state, in one object.

The Build holds the settings (read once), the site's layout, the interpreters
found, the Supervisor of live runs, the Runner (results in memory and on disk),
the rendered blocks (Material's blog renders a post several times per build)
and the failures. MkDocs' hook makes one per build and hands it to the
Markdown extension; under Zensical the extension makes one per page. Nothing
lives in module globals.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from dataclasses import replace
from html import escape
from pathlib import Path

from ..executor import expected, matcher, redact, sandbox
from ..executor.cache import Cache
from ..executor.config import Config
from ..executor.interpreters import Interpreter, discover, parse_spec, span, versions_text
from ..executor.options import RUN_KEYS, OptionError, RunOptions, verdict
from ..executor.process import Limits, RunResult, Supervisor, install_signal_handlers
from ..executor.runner import Job, Runner, RunSettings
from . import posts, render, series
from .layout import Layout

log = logging.getLogger("mkdocs.plugins.snippet_runner")
_HOST_WORKDIR = re.compile(r"/(?:[\w.-]+/)*snippet-[a-z0-9_]{8}/")


class BlockError(Exception):
    """A block that cannot be shown; the message names the post and snippet, and what to do."""

    #: True when this block already failed in this build (it is reported once, not per render).
    replayed = False


class SetupError(RuntimeError):
    """Something the build needs is missing (an interpreter, the sandbox) and it is required."""


class Build:
    def __init__(self, layout: Layout, config: Config) -> None:
        self.layout = layout
        self.config = config
        self.interpreters: list[Interpreter] = []
        self.missing: list[str] = []
        self.sandboxed = False
        self.supervisor = Supervisor()
        self.rendered: dict[str, str | BlockError] = {}
        self.failures: list[dict] = []
        self._lock = threading.Lock()
        self._restore_signals = None
        self.series = series.parts(layout) if layout.series else []
        #: Drafts are shown by `mkdocs serve` only; in a published build a link to one is an error.
        self.drafts_visible = False
        #: True under `mkdocs serve`: an output not recorded yet is shown with a banner.
        self.serving = False
        self.drafts = {post.stem for post in posts.posts(layout) if posts.is_draft(post)}
        if config.execute:
            self._find_interpreters()
        settings = RunSettings(
            sandbox=self.sandboxed,
            limits=Limits(memory_mb=config.memory_mb, cpu_seconds=config.cpu_seconds),
            output_limit=config.output_limit,
        )
        self.runner = Runner(
            self.supervisor,
            settings,
            Cache(config.cache_dir) if config.cache else None,
            accept=self._kept_promises,
            warn=log.warning,
        )

    @classmethod
    def for_site(cls, config_file: Path, environ: dict | None = None) -> Build:
        layout = Layout.load(config_file)
        return cls(layout, Config.load(layout.root, environ))

    # -- set-up ---------------------------------------------------------------

    def _find_interpreters(self) -> None:
        config = self.config
        reason = sandbox.available() if config.sandbox != "off" else "SNIPPET_SANDBOX=off"
        if reason is None:
            self.sandboxed = True
        elif config.sandbox == "on" or (config.required and config.sandbox != "off"):
            raise SetupError(
                f"the sandbox (bubblewrap) cannot run here: {reason}. Install it "
                "(apt-get install bubblewrap) or see README, 'What a snippet can and cannot do'."
            )
        elif config.sandbox == "off":
            log.info("SNIPPET_SANDBOX=off: examples run without the sandbox")
        else:
            # One line, at INFO: a strict build on a machine without bubblewrap (macOS)
            # must still pass locally; CI (required) fails above instead.
            log.info(
                f"examples run WITHOUT the sandbox: {reason}. They can write to this "
                "machine and reach the network; install bubblewrap to run them sandboxed."
            )
        found, missing = discover(
            list(config.pythons),
            rootfs=config.rootfs if self.sandboxed else None,
            pyenv_root=Path(config.environ.get("PYENV_ROOT") or Path.home() / ".pyenv"),
            path_env=config.environ.get("PATH", "/usr/bin:/bin"),
            memo_file=config.cache_dir / "interpreters.json",
        )
        self.interpreters, self.missing = list(found), list(missing)
        if missing:
            message = "missing CPython, whose outputs are not shown: " + "; ".join(missing)
            if config.required:
                raise SetupError(message + " (required here: CI or SNIPPET_PYTHONS_REQUIRED).")
            log.info(message)
        if not found:
            raise SetupError(
                f"none of the configured interpreters {list(config.pythons)} was found"
            )

    def start(self) -> None:
        """Before pages render: stop on SIGTERM/SIGINT cleanly, then run every published block."""
        if threading.current_thread() is threading.main_thread() and not self._restore_signals:
            self._restore_signals = install_signal_handlers(self.supervisor)
        self.prerun()

    def finish(self) -> None:
        self.supervisor.kill_all()
        if self._restore_signals:
            self._restore_signals()
            self._restore_signals = None

    # -- jobs -----------------------------------------------------------------

    def options(self, fence_options: dict[str, object]) -> RunOptions:
        """The run options of a fence (its other options are markdown-exec's and ignored here)."""
        raw = {key: value for key, value in fence_options.items() if key in RUN_KEYS}
        return RunOptions.parse(
            raw, default_timeout=self.config.timeout, max_timeout=self.config.max_timeout
        )

    def jobs(self, snippet: Path, options: RunOptions) -> list[Job]:
        code = snippet.read_text(encoding="utf-8")
        return [
            Job(code, snippet.name, options, interpreter, origin=str(snippet))
            for interpreter in self.interpreters
            if options.runs_on(interpreter.version)
        ]

    def prerun(self) -> int:
        """Run every block of the published posts that has no kept result, in parallel."""
        if not self.config.execute:
            log.info("SNIPPET_EXECUTE=off: no example runs in this build; outputs are missing")
            return 0
        jobs = []
        for snippet, fences in posts.executions(self.layout).items():
            for fence in fences:
                try:
                    jobs += self.jobs(snippet, self.options(fence.options))
                except (OptionError, OSError, UnicodeDecodeError):
                    continue  # reported when the block renders, naming the post
        return self.run(jobs)

    def run(self, jobs: list[Job]) -> int:
        def progress(done: int, total: int, failed: int) -> None:
            if done == total or done % 25 == 0:
                log.info(f"ran {done}/{total} snippet runs, {failed} failed")

        ran = self.runner.run_all(
            jobs, self.config.jobs, progress, up_to=self.config.max_jobs or None
        )
        if ran:
            log.info(f"ran {ran} of {len(jobs)} snippet runs; the rest were cached")
        return ran

    def _kept_promises(self, job: Job, result: RunResult) -> bool:
        if verdict(result, job.options) is not None:
            return False
        snippet = Path(job.origin)
        try:
            shown = self.shown(snippet, result)
            return not expected.problems(
                snippet,
                shown,
                job.interpreter.key,
                root=self.layout.root,
                label=job.interpreter.label,
            )
        except Exception:  # noqa: BLE001 - a broken expected file: reported when rendered
            return False

    # -- blocks ---------------------------------------------------------------

    def shown(self, snippet: Path, result: RunResult) -> RunResult:
        """The result with the build machine's paths shortened (what is compared and shown)."""
        del snippet

        def short(text: str) -> str:
            # Without the sandbox a script runs in a host temp dir named snippet-XXXXXXXX.
            hosts = tuple(set(_HOST_WORKDIR.findall(text)))
            return redact.shorten_paths(text, host_workdirs=hosts)

        return replace(result, stdout=short(result.stdout), stderr=short(result.stderr))

    def oldest(self, options: RunOptions) -> tuple[int, ...]:
        """The oldest configured version a block runs on: the one its plain expected files hold."""
        for spec in self.config.pythons:
            minor, minimum = parse_spec(spec)
            if options.runs_on(".".join(map(str, minimum))):
                return minimum[:2]
        return parse_spec(self.config.pythons[0])[1][:2]

    def record(self, snippet: Path, options: RunOptions) -> list[Path]:
        """Rewrite ``snippet``'s expected files from this machine's runs (make update-examples)."""
        results = {
            interpreter.key: self.shown(snippet, result)
            for interpreter, result in self.results(snippet, options).items()
        }
        return expected.update(snippet, results, oldest=self.oldest(options))

    def results(self, snippet: Path, options: RunOptions) -> dict[Interpreter, RunResult]:
        """Each configured interpreter's result of ``snippet`` (run now if not known yet)."""
        jobs = self.jobs(snippet, options)
        self.run(jobs)  # a no-op when the pre-run did it (Zensical runs a page at a time)
        return {job.interpreter: self.runner.get(job) for job in jobs}

    def where(self, snippet: Path, block: str = "") -> str:
        post = posts.post_for(snippet, self.layout)
        text = f"{self.layout.rel(post)}: snippet {self.layout.rel(snippet)}"
        return text + (f" (block '{block}')" if block else "")

    def block(self, include: str, raw: dict[str, object], block: str, fold: int = 0) -> str:
        """The HTML of one executed block's outputs (memoised: the same block renders the same)."""
        key = json.dumps([include, sorted((k, str(v)) for k, v in raw.items()), block, fold])
        with self._lock:
            known = self.rendered.get(key)
        if isinstance(known, BlockError):
            error = BlockError(str(known))
            error.replayed = True
            raise error
        if known is not None:
            return known
        try:
            html = self._block(include, raw, block, fold)
        except BlockError as error:
            with self._lock:
                self.rendered[key] = error
            raise
        with self._lock:
            self.rendered[key] = html
        return html

    def _block(self, include: str, raw: dict[str, object], block: str, fold: int) -> str:
        layout = self.layout
        try:
            snippet = posts.resolve_include(
                include, layout, self.where(layout.snippets_dir / include)
            )
        except posts.PostError as error:
            raise BlockError(str(error)) from None
        where = self.where(snippet, block)
        if not snippet.is_file():
            raise BlockError(f"{where}: the snippet file does not exist")
        try:
            options = self.options(raw)
            results = self.results(snippet, options)
        except OptionError as error:
            raise BlockError(f"{where}: {error}") from None
        except UnicodeDecodeError as error:
            raise BlockError(
                f"{where}: the snippet is not UTF-8 ({error.reason}); save it as UTF-8"
            ) from None
        if not results:
            if self.config.required or not self.missing:
                raise BlockError(
                    f'{where}: versions="{options.versions}" matches none of the configured '
                    f"interpreters ({', '.join(i.version for i in self.interpreters)}); "
                    "fix the specifier or the interpreters in pyproject.toml"
                )
            return render.not_run(options.versions, options.reason)
        problems, drift = [], []
        for interpreter, result in results.items():
            problem = verdict(result, options)
            if problem is not None:
                problems.append(f"under {interpreter.label} it {problem}")
                continue
            drift += expected.problems(
                snippet,
                self.shown(snippet, result),
                interpreter.key,
                root=layout.root,
                label=interpreter.label,
            )
        banner = ""
        if drift and self.serving and not problems:
            # A preview shows a new or changed example at once; a build still fails.
            log.info(f"{where}: output not recorded yet (shown in the preview)")
            command = f"make update-examples SLUG={escape(snippet.parent.name)}"
            banner = (
                '<p class="snippet-unrecorded">Not recorded yet: this output does not match '
                f"its expected files. Run <code>{command}</code>, review the diff and commit "
                "it; the strict build fails until then.</p>"
            )
        elif problems or drift:
            self.fail(where, problems + drift)
            raise BlockError(f"{where}:\n" + "\n\n".join(problems + drift))
        shown = self.groups(snippet, results)
        footer = render.links(
            snippet.name, layout.download_url(snippet), layout.source_url(snippet)
        )
        return banner + render.outputs(
            shown,
            footer=footer,
            versions=options.versions,
            reason=options.reason,
            hangs_after=options.timeout if options.hangs else None,
            fold=fold,
        )

    def groups(self, snippet: Path, results: dict[Interpreter, RunResult]) -> list[render.Shown]:
        """One output per group of versions that satisfy the same expected files.

        Versions whose outputs differ only where the expected file allows it (a
        wildcard, a redaction: timings, pids, a race's count) share one output,
        labelled with the whole range; the newest version's output is shown, and the
        label says so.
        """
        groups: dict[tuple, list[Interpreter]] = {}
        for interpreter in sorted(results):
            result = results[interpreter]
            # By the text of the expected files, not their names: a file kept for a
            # patch release this build does not run may repeat another's text.
            files = tuple(
                expected.expected_for(snippet, s, interpreter.key)[1] for s in expected.STREAMS
            )
            key = (files, result.returncode, result.timed_out)
            groups.setdefault(key, []).append(interpreter)
        shown = []
        for (files, *_), group in groups.items():
            newest = group[-1]
            label = span(group)
            # Said whenever the expected files let outputs differ, not only when this
            # build's did: a label must not change from one build to the next.
            if len(group) > 1 and self._may_vary(snippet, files):
                label += (
                    f" · printed by {newest.version}; the parts that vary from run to run"
                    " may read differently on the others"
                )
            shown.append(
                render.Shown(versions_text(group), label, self.shown(snippet, results[newest]))
            )
        return shown

    @staticmethod
    def _may_vary(snippet: Path, files: tuple[str | None, ...]) -> bool:
        """Whether outputs that satisfy these expected files can differ (wildcards, redactions)."""
        if redact.redactor_for(snippet).rules:
            return True
        return any(text is not None and not matcher.is_literal(text) for text in files)

    def fail(self, where: str, problems: list[str]) -> None:
        """Record a failed block; with SNIPPET_FAILURES_FILE, also for the Zensical wrapper."""
        with self._lock:
            self.failures.append({"where": where, "problems": problems})
            if self.config.failures_file:
                with open(self.config.failures_file, "a", encoding="utf-8") as file:
                    file.write(json.dumps({"where": where, "problems": problems}) + "\n")
