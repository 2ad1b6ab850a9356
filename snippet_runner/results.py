"""One result per (snippet, options, interpreter): from memory, the disk cache, or a run.

``run_all`` runs every missing result in parallel before pages render;
rendering then only reads. Material's blog renders a post several times per
build (post, index, archive, categories): each block still runs once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import __version__, cache, checks, settings
from .interpreters import Interpreter
from .process import RunResult, run_script

# The code that decides how a script runs: a change to it re-runs everything.
_EXECUTOR_FINGERPRINT = hashlib.sha256(
    b"".join(Path(__file__).with_name(n).read_bytes() for n in ("process.py", "settings.py"))
).hexdigest()

_memo: dict[str, RunResult] = {}


@dataclass(frozen=True)
class Job:
    code: str
    name: str  # the script's file name, as tracebacks show it
    options: checks.RunOptions
    interpreter: Interpreter

    @property
    def key(self) -> str:
        """Everything that can change what a run prints."""
        material = {
            "executor": [__version__, _EXECUTOR_FINGERPRINT],
            "interpreter": [self.interpreter.path, self.interpreter.version],
            "environment": sorted(settings.run_environment("<tmp>").items()),
            "name": self.name,
            "timeout": self.options.timeout,
            "code": self.code,
        }
        return hashlib.sha256(json.dumps(material).encode()).hexdigest()


def _known(job: Job) -> RunResult | None:
    key = job.key
    if key not in _memo and settings.CACHE_ENABLED:
        cached = cache.load(key)
        if cached is not None:
            _memo[key] = cached
    return _memo.get(key)


def get(job: Job) -> RunResult:
    """The result of ``job``, running it only if no valid result is known."""
    result = _known(job)
    if result is None:
        result = run_script(
            job.code, name=job.name, timeout=job.options.timeout, python=job.interpreter.path
        )
        _memo[job.key] = result
        if settings.CACHE_ENABLED and checks.verdict(result, job.options) is None:
            cache.store(job.key, result)
    return result


def run_all(jobs: Iterable[Job], workers: int = settings.JOBS) -> int:
    """Run every job without a known result, ``workers`` at a time; return how many ran."""
    todo = {job.key: job for job in jobs if _known(job) is None}
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(get, todo.values()))
    return len(todo)


def forget_failures() -> None:
    """Drop remembered runs that broke their promises, so they are retried."""
    for key, result in list(_memo.items()):
        if result.timed_out or result.returncode:
            del _memo[key]
