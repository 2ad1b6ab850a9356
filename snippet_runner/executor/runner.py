"""One result per job (snippet text, options, interpreter): from memory, the disk cache, or a run.

``run_all`` runs every job without a known result in parallel before pages
render; rendering then only reads. A result is kept in memory for the build,
and on disk only when the caller's ``accept`` says the run kept its promises: a
timeout, a wrong exit code or an output that does not match is remembered for
this build alone and retried by the next one.

Which run starts when is scheduled on what runs cost (schedule.py): the
longest first, by the durations of earlier builds (``durations.json`` in the
cache folder); given ``up_to``, more runs than ``workers`` while the CPUs are
idle, within the memory.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import schedule
from .cache import Cache
from .interpreters import Interpreter
from .options import RunOptions, verdict
from .process import Limits, RunResult, Supervisor, run_environment

#: Bump when a change outside process.py/sandbox.py changes what runs print.
FORMAT = 2
# The code that decides how a script runs: a change to it re-runs everything.
# Only these two files: editing a docstring elsewhere must not re-run 500 examples.
_RUN_CODE = hashlib.sha256(
    b"".join(Path(__file__).with_name(n).read_bytes() for n in ("process.py", "sandbox.py"))
).hexdigest()


@dataclass(frozen=True)
class Job:
    code: str
    name: str  # the script's file name, as tracebacks show it
    options: RunOptions
    interpreter: Interpreter
    origin: str = ""  # where the code came from (a file path); not part of the key


@dataclass(frozen=True)
class RunSettings:
    """How every run of one build is made (part of every job's key)."""

    sandbox: bool
    limits: Limits
    output_limit: int


def job_key(job: Job, settings: RunSettings) -> str:
    """Everything that can change what a run prints."""
    interpreter = job.interpreter
    material = {
        "format": [FORMAT, _RUN_CODE],
        "interpreter": [
            interpreter.implementation,
            interpreter.path,
            interpreter.root,
            interpreter.version,
            interpreter.machine,  # one cache folder may serve an x86_64 and an arm64 machine
        ],
        "environment": sorted(run_environment(width=job.options.width).items()),
        "sandbox": settings.sandbox,
        "limits": [settings.limits.memory_mb, settings.limits.cpu_seconds, settings.output_limit],
        "name": job.name,
        "timeout": job.options.timeout,
        "code": job.code,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def snippet_of(job: Job) -> str:
    """How the durations record names a job's snippet: ``<slug>/<name>.py`` (not its code)."""
    folder = Path(job.origin).parent.name if job.origin else ""
    return f"{folder}/{job.name}" if folder else job.name


def kept_promises(job: Job, result: RunResult) -> bool:
    return verdict(result, job.options) is None


class Runner:
    """Runs jobs through one Supervisor, remembering results for one build."""

    def __init__(
        self,
        supervisor: Supervisor,
        settings: RunSettings,
        cache: Cache | None,
        accept: Callable[[Job, RunResult], bool] = kept_promises,
        warn: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.supervisor = supervisor
        self.settings = settings
        self.cache = cache
        self.accept = accept
        self.warn = warn
        self._memo: dict[str, RunResult] = {}
        self._keys: dict[Job, str] = {}  # a page asks for the same jobs at every render
        self._lock = threading.Lock()
        self.ran = 0
        #: Wall and CPU seconds of earlier runs, for the order of runs (schedule.py).
        self.durations = schedule.Durations(
            cache.root / "durations.json" if cache is not None else None
        )
        self.cpus = schedule.usable_cpus()
        #: Idle CPUs and available memory, read between starts (replaced by a fake in tests).
        self.probe: schedule.Probe = schedule.SystemProbe(self.cpus)

    def estimate(self, job: Job) -> schedule.Estimate | None:
        """What this job cost when it last ran (under this or a near version), if it ever did."""
        return self.durations.estimate(snippet_of(job), job.interpreter.version)

    def key(self, job: Job) -> str:
        """``job_key`` of ``job``, worked out once per build."""
        key = self._keys.get(job)
        if key is None:
            key = self._keys[job] = job_key(job, self.settings)
        return key

    def known(self, job: Job) -> RunResult | None:
        key = self.key(job)
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        cached = self.cache.load(key) if self.cache else None
        if cached is not None:
            with self._lock:
                self._memo[key] = cached
        return cached

    def get(self, job: Job) -> RunResult:
        """The result of ``job``, running it only if no kept result is known."""
        result = self.known(job)
        if result is not None:
            return result
        result = self.supervisor.run(
            job.code,
            name=job.name,
            timeout=job.options.timeout,
            python=job.interpreter.path,
            root=job.interpreter.root,
            env=run_environment(width=job.options.width),
            limit=self.settings.output_limit,
            sandbox=self.settings.sandbox,
            rlimits=self.settings.limits,
        )
        self.durations.add(
            snippet_of(job), job.interpreter.version, result.seconds, result.cpu_seconds
        )
        key = self.key(job)
        with self._lock:
            self.ran += 1
            # Every result is remembered for this build (never run twice); only a
            # run that kept its promises is kept for later builds.
            self._memo[key] = result
        if self.cache and self.accept(job, result):
            problem = self.cache.store(key, result)
            if problem:
                self.warn(problem)
        return result

    def run_all(
        self,
        jobs: Iterable[Job],
        workers: int,
        progress: Callable[[int, int, int], None] | None = None,
        *,
        up_to: int | None = None,
    ) -> int:
        """Run every job without a known result, ``workers`` at a time; return how many ran.

        The longest runs start first (those never measured before them). With
        ``up_to`` above ``workers``, more runs start while the CPUs are idle, up
        to ``up_to`` at once and never more than the memory allows (schedule.py);
        without it, exactly ``workers`` at a time (an explicit SNIPPET_JOBS).
        ``progress(done, total, failed)`` is called after each run.
        """
        todo = {self.key(job): job for job in jobs if self.known(job) is None}
        if not todo:
            return 0
        done = failed = 0
        lock = threading.Lock()

        def one(job: Job) -> None:
            nonlocal done, failed
            result = self.get(job)
            with lock:
                done += 1
                failed += not self.accept(job, result)
                if progress:
                    progress(done, len(todo), failed)

        admission = schedule.Admission(
            baseline=max(1, workers),
            cap=up_to or 0,
            memory_mb=self.settings.limits.memory_mb,
        )

        def share(job: Job) -> float:
            known = self.estimate(job)
            return known.share(self.cpus) if known else schedule.UNKNOWN_SHARE

        try:
            schedule.run_scheduled(
                schedule.longest_first(todo.values(), self.estimate),
                one,
                admission,
                self.probe,
                share=share,
            )
        finally:
            problem = self.durations.save()
            if problem:
                self.warn(problem)
        return len(todo)
