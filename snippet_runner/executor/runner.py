"""One result per job (snippet text, options, interpreter): from memory, the disk cache, or a run.

``run_all`` runs every job without a known result in parallel before pages
render; rendering then only reads. A result is kept (in memory and on disk)
on disk only when the caller's ``accept`` says the run kept its promises: a
timeout, a wrong exit code or an output that does not match is remembered for
this build alone and retried by the next one.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

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
        "interpreter": [interpreter.path, interpreter.root, interpreter.version],
        "environment": sorted(run_environment(width=job.options.width).items()),
        "sandbox": settings.sandbox,
        "limits": [settings.limits.memory_mb, settings.limits.cpu_seconds, settings.output_limit],
        "name": job.name,
        "timeout": job.options.timeout,
        "code": job.code,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


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
        self._lock = threading.Lock()
        self.ran = 0

    def known(self, job: Job) -> RunResult | None:
        key = job_key(job, self.settings)
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
        key = job_key(job, self.settings)
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
    ) -> int:
        """Run every job without a known result, ``workers`` at a time; return how many ran.

        ``progress(done, total, failed)`` is called after each run.
        """
        todo = {job_key(job, self.settings): job for job in jobs if self.known(job) is None}
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

        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            list(pool.map(one, todo.values()))
        return len(todo)
