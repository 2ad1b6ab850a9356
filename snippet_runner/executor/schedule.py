"""In what order, and how many at once, a build's runs start: scheduled on what they cost.

Most runs of this blog wait (sleeps, pipes, a worker's start-up) far more than
they compute, so one run per CPU leaves the CPUs idle. Three rules:

- **Longest first.** Each run's wall and CPU seconds are kept in a small
  record in the cache folder (``durations.json``), keyed by the snippet
  (``<slug>/<name>.py``) and the interpreter's version, not by the code: an
  edited snippet keeps its estimate. Jobs with no estimate start first (they
  may be long), then the rest by decreasing estimated duration, so the
  longest run does not start last.
- **More runs than CPUs while the CPUs are idle.** ``baseline`` runs (the
  build's workers: one per CPU) start without looking. Beyond them, up to
  ``cap``, a run starts only when the CPUs were idle over the last sample of
  ``/proc/stat`` (at least ``WINDOW`` seconds long): its recorded CPU share
  (CPU seconds / wall seconds; ``UNKNOWN_SHARE`` for a run never measured)
  must fit in the idle CPU time, so sleeping runs pile up and computing runs
  do not.
- **Within the memory.** Beyond the baseline, never more runs at once than
  ``MemAvailable / memory-mb`` (each process of a run may take ``memory-mb``
  of address space); where MemAvailable cannot be read, none beyond it.

With ``cap`` at or below ``baseline`` (an explicit ``SNIPPET_JOBS``) it is a
plain pool of ``baseline`` workers, still longest first. The policy
(``Admission``, ``longest_first``) is pure and the loop (``run_scheduled``)
takes its probe as an argument, so both are tested with fakes, without timing.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from .atomic import replace_file

T = TypeVar("T")

#: Shortest sample of /proc/stat worth reading: it counts in ticks of 10 ms per CPU.
WINDOW = 0.05
#: The CPU share assumed for a run never measured (between a sleeper and a computer).
UNKNOWN_SHARE = 0.5
#: The least CPU share counted for a run, however much it sleeps (its start-up costs).
LEAST_SHARE = 0.1
#: Bump when the record's layout changes; an older record is ignored.
RECORD_FORMAT = 1


# -- the durations record ------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    seconds: float  # wall clock of the last run
    cpu_seconds: float  # user + system CPU of the last run (all its processes)

    def share(self, cpus: int) -> float:
        """The CPUs this run keeps busy on average, between LEAST_SHARE and all of them."""
        if self.seconds <= 0:
            return UNKNOWN_SHARE
        return min(float(cpus), max(LEAST_SHARE, self.cpu_seconds / self.seconds))


class Durations:
    """Wall and CPU seconds of earlier runs, by snippet and interpreter version.

    ``path`` None: kept in memory for this build only. Loading never fails (a
    missing or damaged record is an empty one); saving merges with what another
    build wrote meanwhile and replaces the file atomically.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._runs: dict[str, dict[str, list[float]]] = self._read()
        self._changed: dict[tuple[str, str], list[float]] = {}

    def _read(self) -> dict[str, dict[str, list[float]]]:
        if self.path is None:
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") != RECORD_FORMAT:
                return {}
            runs = data["runs"]
            return {
                str(snippet): {
                    str(version): [float(pair[0]), float(pair[1])]
                    for version, pair in versions.items()
                }
                for snippet, versions in runs.items()
            }
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError):
            return {}

    def estimate(self, snippet: str, version: str) -> Estimate | None:
        """The last run of ``snippet`` under ``version``; else under the same minor version,
        else the slowest under any version; None when the snippet never ran."""
        with self._lock:
            versions = self._runs.get(snippet)
            if not versions:
                return None
            if version in versions:
                return Estimate(*versions[version])
            minor = ".".join(version.split(".")[:2])
            same_minor = [v for k, v in versions.items() if ".".join(k.split(".")[:2]) == minor]
            pairs = same_minor or list(versions.values())
            return Estimate(*max(pairs))

    def add(self, snippet: str, version: str, seconds: float, cpu_seconds: float) -> None:
        pair = [round(float(seconds), 3), round(float(cpu_seconds), 3)]
        with self._lock:
            self._runs.setdefault(snippet, {})[version] = pair
            self._changed[(snippet, version)] = pair

    def save(self) -> str | None:
        """Write what changed since loading; returns why it could not be written, or None."""
        if self.path is None:
            return None
        with self._lock:
            if not self._changed:
                return None
            changed = dict(self._changed)
            self._changed.clear()
        runs = self._read()  # what another build may have written meanwhile
        for (snippet, version), pair in changed.items():
            runs.setdefault(snippet, {})[version] = pair
        record = {"format": RECORD_FORMAT, "runs": runs}
        try:
            replace_file(self.path, lambda file: json.dump(record, file, sort_keys=True))
        except OSError as error:
            return f"cannot write the run durations in {self.path} ({error.strerror})"
        return None


def longest_first(items: Iterable[T], estimate: Callable[[T], Estimate | None]) -> list[T]:
    """Unknown items first (in their order), then by decreasing estimated wall time (stable)."""
    items = list(items)
    estimates = [estimate(item) for item in items]
    unknown = [item for item, e in zip(items, estimates, strict=True) if e is None]
    known = [
        (e.seconds, i, item)
        for i, (item, e) in enumerate(zip(items, estimates, strict=True))
        if e is not None
    ]
    known.sort(key=lambda entry: (-entry[0], entry[1]))
    return unknown + [item for _, _, item in known]


# -- admission -------------------------------------------------------------------


@dataclass(frozen=True)
class Admission:
    """How many runs may be live at once (pure: no clock, no /proc).

    ``baseline`` runs start without looking (the build's ``workers``: one per
    CPU, or ``SNIPPET_JOBS``). Up to ``cap`` start while the CPUs are idle, and
    no more than the memory allows. With ``cap`` <= ``baseline`` it is a plain
    pool of ``baseline`` workers.
    """

    baseline: int  # runs started at once, without looking
    cap: int = 0  # most runs at once while the CPUs are idle (<= baseline: no more than it)
    memory_mb: int | None = None  # address space each process of a run may take (None: no cap)

    @property
    def least(self) -> int:
        return max(1, self.baseline)

    def most(self, available_mb: float | None) -> int:
        """The most runs at once, given the memory available now (None: unknown).

        Beyond the baseline, never more runs than MemAvailable / memory-mb; with
        the memory unknown, none beyond it.
        """
        if self.cap <= self.least:
            return self.least
        if not self.memory_mb:
            return self.cap
        if available_mb is None:
            return self.least
        return max(self.least, min(self.cap, int(available_mb // self.memory_mb)))

    def starts(
        self,
        running: int,
        shares: Sequence[float],
        idle_cpus: float | None,
        available_mb: float | None,
    ) -> int:
        """How many of the next runs (whose CPU shares are ``shares``, in order) start now.

        Up to the baseline they start at once; beyond it each needs its share of
        the CPUs that were idle over the last sample (None: no fresh sample, so none).
        """
        most = self.most(available_mb)
        idle = idle_cpus if idle_cpus is not None else 0.0
        started = 0
        for share in shares:
            live = running + started
            if live >= most:
                break
            if live >= self.least and (idle_cpus is None or idle < share):
                break
            # A run started at once still takes its share of what the sample saw idle.
            idle -= share
            started += 1
        return started


# -- measuring the machine -------------------------------------------------------


class Probe(Protocol):
    def idle_cpus(self) -> float | None:
        """CPUs idle on average since the previous reading; None if too recent to tell."""

    def available_mb(self) -> float | None:
        """MemAvailable now, in MiB; None where it cannot be read."""


def _cpu_times(stat: str) -> tuple[int, int] | None:
    """(idle, total) ticks from the first line of /proc/stat."""
    for line in stat.splitlines():
        fields = line.split()
        if fields and fields[0] == "cpu":
            ticks = [int(n) for n in fields[1:]]
            # user nice system idle iowait irq softirq steal guest guest_nice;
            # guest time is already counted in user and nice.
            counted = ticks[:8]
            idle = sum(counted[3:5])
            return idle, sum(counted)
    return None


def _available_mb(meminfo: str) -> float | None:
    for line in meminfo.splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return None


class SystemProbe:
    """This machine's idle CPUs (/proc/stat) and available memory (/proc/meminfo).

    Elsewhere than Linux both are unknown: no run beyond one per CPU starts.
    """

    def __init__(
        self,
        cpus: int,
        read: Callable[[str], str] | None = None,
        clock: Callable[[], float] = time.monotonic,
        window: float = WINDOW,
    ) -> None:
        self.cpus = cpus
        self._read = read or (lambda path: Path(path).read_text())
        self._clock = clock
        self._window = window
        self._last = self._sample()

    def _sample(self) -> tuple[float, tuple[int, int] | None]:
        try:
            times = _cpu_times(self._read("/proc/stat"))
        except (OSError, ValueError):
            times = None
        return self._clock(), times

    def idle_cpus(self) -> float | None:
        then, before = self._last
        if self._clock() - then < self._window:
            return None
        now = self._sample()
        self._last = now
        after = now[1]
        if before is None or after is None or after[1] <= before[1]:
            return None
        idle = (after[0] - before[0]) / (after[1] - before[1])
        return max(0.0, min(1.0, idle)) * self.cpus

    def available_mb(self) -> float | None:
        try:
            return _available_mb(self._read("/proc/meminfo"))
        except (OSError, ValueError):
            return None


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity), else the machine's count."""
    with contextlib.suppress(AttributeError, OSError):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# -- the loop ----------------------------------------------------------------------


def run_scheduled(
    items: Sequence[T],
    work: Callable[[T], object],
    admission: Admission,
    probe: Probe,
    share: Callable[[T], float] = lambda item: UNKNOWN_SHARE,
    tick: float = WINDOW,
) -> None:
    """Call ``work(item)`` for every item in order, in threads, as ``admission`` allows.

    Between starts beyond the baseline it waits for a run to end or ``tick``
    seconds, then reads the probe again. The first error raised by ``work``
    stops further starts; the runs already started finish, then it is raised.
    """
    pending = deque(items)
    running: set[Future] = set()
    error: BaseException | None = None
    most = max(admission.least, admission.cap)
    adaptive = admission.cap > admission.least
    if adaptive:
        probe.idle_cpus()  # the first sample starts now, not when the probe was made
    with ThreadPoolExecutor(max_workers=most) as pool:
        while running or (pending and error is None):
            if pending and error is None:
                # /proc is read only when it can let more runs start.
                beyond = adaptive and len(running) >= admission.least
                idle = probe.idle_cpus() if beyond else None
                available = probe.available_mb() if beyond and admission.memory_mb else None
                shares = [share(item) for item in _head(pending, most)]
                for _ in range(admission.starts(len(running), shares, idle, available)):
                    running.add(pool.submit(work, pending.popleft()))
            # The baseline is at least 1, so with nothing running something started.
            done, running = wait(
                running, timeout=tick if adaptive else None, return_when=FIRST_COMPLETED
            )
            for future in done:
                problem = future.exception()
                if problem is not None and error is None:
                    error = problem
    if error is not None:
        raise error


def _head(pending: deque, count: int) -> list:
    return [pending[i] for i in range(min(count, len(pending)))]
