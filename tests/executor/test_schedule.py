"""The scheduling policy of a build's runs, with fakes: no clock, no /proc, no timing asserted.

Order (unknown runs first, then the longest), admission (one per worker at once,
more only while the CPUs are idle, never past the cap or the memory), the
durations record in the cache folder, and the runner using all three.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest

from snippet_runner.executor import schedule
from snippet_runner.executor.cache import Cache
from snippet_runner.executor.interpreters import Interpreter
from snippet_runner.executor.options import RunOptions
from snippet_runner.executor.process import Limits, RunResult
from snippet_runner.executor.runner import Job, Runner, RunSettings, snippet_of
from snippet_runner.executor.schedule import (
    Admission,
    Durations,
    Estimate,
    SystemProbe,
    longest_first,
    run_scheduled,
)

from .locales import ascii_locale  # noqa: F401 - the fixture, found by name

#: How long a test waits for a thread before it fails instead of hanging (never asserted).
DEADLINE = 30


# -- fakes -----------------------------------------------------------------------


class FakeProbe:
    """Idle CPUs and memory as the test says; counts the readings, so a test can
    wait until the loop has decided a few times instead of sleeping."""

    def __init__(self, idle: float | None = 0.0, available: float | None = None) -> None:
        self.idle = idle
        self.available = available
        self.readings = 0
        self._cond = threading.Condition()

    def idle_cpus(self) -> float | None:
        with self._cond:
            self.readings += 1
            self._cond.notify_all()
            return self.idle

    def available_mb(self) -> float | None:
        return self.available

    def wait_for_readings(self, count: int) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: self.readings >= count, DEADLINE)


class Gate:
    """Work that records its start and blocks until the test releases it."""

    def __init__(self) -> None:
        self.started: list[object] = []
        self.live = 0
        self.most_live = 0
        self.release = threading.Event()
        self._cond = threading.Condition()

    def __call__(self, item: object) -> None:
        with self._cond:
            self.started.append(item)
            self.live += 1
            self.most_live = max(self.most_live, self.live)
            self._cond.notify_all()
        assert self.release.wait(DEADLINE)
        with self._cond:
            self.live -= 1
        if isinstance(item, Exception):
            raise item

    def wait_for_starts(self, count: int) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.started) >= count, DEADLINE)


def in_background(function, *args, **kwargs) -> tuple[threading.Thread, list]:
    errors: list[BaseException] = []

    def target() -> None:
        try:
            function(*args, **kwargs)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            errors.append(error)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, errors


# -- longest first ---------------------------------------------------------------


def test_unknown_first_in_their_order_then_longest_first():
    known = {"a": 1.0, "c": 5.0, "e": 3.0}
    order = longest_first(
        "abcdef", lambda item: Estimate(known[item], 0.1) if item in known else None
    )
    assert order == ["b", "d", "f", "c", "e", "a"]


def test_equal_estimates_keep_their_order():
    order = longest_first([3, 1, 2], lambda item: Estimate(2.0, 0.1))
    assert order == [3, 1, 2]


def test_nothing_known_keeps_the_order():
    assert longest_first("xyz", lambda item: None) == ["x", "y", "z"]


# -- estimates and the durations record ------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "cpu", "share"),
    [
        (4.0, 0.2, schedule.LEAST_SHARE),  # a sleeper still costs its start-up
        (2.0, 1.0, 0.5),
        (1.0, 1.0, 1.0),
        (1.0, 8.0, 2.0),  # a pool on every CPU: no more than the CPUs there are
        (0.0, 0.0, schedule.UNKNOWN_SHARE),
    ],
)
def test_the_cpu_share_of_a_run(seconds, cpu, share):
    assert Estimate(seconds, cpu).share(cpus=2) == pytest.approx(share)


def test_an_estimate_by_exact_version_else_minor_else_slowest(tmp_path):
    record = Durations(tmp_path / "durations.json")
    assert record.estimate("post/a.py", "3.14.10") is None
    record.add("post/a.py", "3.14.10", 2.0, 0.5)
    record.add("post/a.py", "3.14.9", 3.0, 0.5)
    record.add("post/a.py", "3.12.1", 7.0, 1.0)
    assert record.estimate("post/a.py", "3.14.10") == Estimate(2.0, 0.5)
    assert record.estimate("post/a.py", "3.14.11") == Estimate(3.0, 0.5)  # same minor: slowest
    assert record.estimate("post/a.py", "3.13.18") == Estimate(7.0, 1.0)  # any: slowest
    assert record.estimate("post/b.py", "3.14.10") is None


def test_the_record_survives_the_build_and_merges_with_another(tmp_path):
    path = tmp_path / "cache" / "durations.json"
    first, second = Durations(path), Durations(path)
    first.add("post/a.py", "3.14.10", 2.0, 0.5)
    assert first.save() is None
    second.add("post/b.py", "3.13.18", 1.0, 0.25)
    assert second.save() is None  # written after the first: keeps its entry
    again = Durations(path)
    assert again.estimate("post/a.py", "3.14.10") == Estimate(2.0, 0.5)
    assert again.estimate("post/b.py", "3.13.18") == Estimate(1.0, 0.25)
    assert json.loads(path.read_text())["format"] == schedule.RECORD_FORMAT
    assert [p.name for p in path.parent.iterdir()] == ["durations.json"]  # no temporary left


def test_nothing_changed_writes_nothing(tmp_path):
    path = tmp_path / "durations.json"
    assert Durations(path).save() is None
    assert not path.exists()


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"format": 0, "runs": {"post/a.py": {"3.14.10": [1, 1]}}}',
        '{"format": 1, "runs": {"post/a.py": {"3.14.10": ["x", 1]}}}',
        '{"format": 1, "runs": {"post/a.py": {"3.14.10": []}}}',
        '{"format": 1}',
    ],
)
def test_a_damaged_record_is_an_empty_one(tmp_path, text):
    path = tmp_path / "durations.json"
    path.write_text(text)
    record = Durations(path)
    assert record.estimate("post/a.py", "3.14.10") is None
    record.add("post/a.py", "3.14.10", 1.0, 0.5)
    assert record.save() is None
    assert Durations(path).estimate("post/a.py", "3.14.10") == Estimate(1.0, 0.5)


def test_an_unwritable_record_is_a_message(tmp_path):
    (tmp_path / "cache").write_text("a file, not a folder")
    record = Durations(tmp_path / "cache" / "durations.json")
    record.add("post/a.py", "3.14.10", 1.0, 0.5)
    problem = record.save()
    assert problem is not None and "cannot write the run durations" in problem


def test_without_a_path_the_record_lives_in_memory():
    record = Durations(None)
    record.add("post/a.py", "3.14.10", 1.0, 0.5)
    assert record.estimate("post/a.py", "3.14.10") == Estimate(1.0, 0.5)
    assert record.save() is None


def test_each_version_keeps_its_own_estimate_across_builds(tmp_path):
    path = tmp_path / "durations.json"
    record = Durations(path)
    record.add("post/a.py", "3.12.7", 5.0, 1.0)
    record.add("post/a.py", "3.14.10", 2.0, 0.5)
    assert record.save() is None
    again = Durations(path)
    assert again.estimate("post/a.py", "3.14.10") == Estimate(2.0, 0.5)
    assert again.estimate("post/a.py", "3.12.7") == Estimate(5.0, 1.0)


@pytest.mark.usefixtures("ascii_locale")
def test_a_record_in_utf8_is_read_whatever_the_locale(tmp_path):
    path = tmp_path / "durations.json"
    text = '{"format": 1, "runs": {"café/a.py": {"3.14.10": [2.0, 0.5]}}}'
    path.write_text(text, encoding="utf-8")
    assert Durations(path).estimate("café/a.py", "3.14.10") == Estimate(2.0, 0.5)


def test_the_record_is_saved_in_a_cache_folder_not_made_yet(tmp_path):
    path = tmp_path / ".cache" / "snippet-runner" / "durations.json"
    record = Durations(path)
    record.add("post/a.py", "3.14.10", 1.0, 0.5)
    assert record.save() is None
    assert Durations(path).estimate("post/a.py", "3.14.10") == Estimate(1.0, 0.5)


def test_the_record_is_written_next_to_its_place_not_in_the_system_temp_folder(
    tmp_path, monkeypatch
):
    # The rename is atomic only within one filesystem; /tmp may be another one.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    record = Durations(tmp_path / "cache" / "durations.json")
    record.add("post/a.py", "3.14.10", 1.0, 0.5)
    assert record.save() is None
    assert Durations(record.path).estimate("post/a.py", "3.14.10") == Estimate(1.0, 0.5)


def test_a_cache_folder_removed_during_a_save_is_a_message_not_a_crash(tmp_path, monkeypatch):
    # `make clean` in another shell while the build saves the record.
    folder = tmp_path / "cache"
    real_dump = json.dump

    def dump_then_clean(*args, **kwargs):
        real_dump(*args, **kwargs)
        shutil.rmtree(folder)

    monkeypatch.setattr("snippet_runner.executor.schedule.json.dump", dump_then_clean)
    record = Durations(folder / "durations.json")
    record.add("post/a.py", "3.14.10", 1.0, 0.5)
    problem = record.save()
    assert problem is not None and "cannot write the run durations" in problem
    assert not folder.exists()


# -- admission -------------------------------------------------------------------


def test_the_baseline_starts_without_looking():
    admission = Admission(baseline=2, cap=8)
    assert admission.starts(0, [0.5] * 5, idle_cpus=None, available_mb=None) == 2
    assert admission.starts(1, [0.5] * 5, idle_cpus=0.0, available_mb=None) == 1


def test_beyond_the_baseline_only_while_the_cpus_are_idle():
    admission = Admission(baseline=2, cap=8)
    busy = admission.starts(2, [0.5] * 5, idle_cpus=0.2, available_mb=None)
    idle = admission.starts(2, [0.5] * 5, idle_cpus=1.6, available_mb=None)
    unknown = admission.starts(2, [0.5] * 5, idle_cpus=None, available_mb=None)
    assert (busy, idle, unknown) == (0, 3, 0)


def test_sleepers_pile_up_and_computers_do_not():
    admission = Admission(baseline=2, cap=16)
    assert admission.starts(2, [0.1] * 10, idle_cpus=1.0, available_mb=None) == 10
    assert admission.starts(2, [1.0] * 10, idle_cpus=1.0, available_mb=None) == 1
    # In order: a computer at the head blocks the sleepers behind it (longest first holds).
    assert admission.starts(2, [1.5, 0.1, 0.1], idle_cpus=1.0, available_mb=None) == 0


def test_runs_started_at_once_count_against_the_idle_cpus():
    admission = Admission(baseline=2, cap=8)
    # Two start without looking and take 1.0 of the 1.5 idle: one more fits.
    assert admission.starts(0, [0.5] * 6, idle_cpus=1.5, available_mb=None) == 3


def test_never_past_the_cap():
    admission = Admission(baseline=2, cap=4)
    assert admission.starts(2, [0.1] * 10, idle_cpus=2.0, available_mb=None) == 2
    assert admission.starts(4, [0.1] * 10, idle_cpus=2.0, available_mb=None) == 0


def test_beyond_the_baseline_never_more_runs_than_the_memory_allows():
    admission = Admission(baseline=2, cap=16, memory_mb=2048)
    assert admission.most(available_mb=5000) == 2
    assert admission.most(available_mb=10 * 2048) == 10
    assert admission.most(available_mb=100 * 2048) == 16
    assert admission.most(available_mb=100) == 2  # the baseline still runs
    assert admission.most(available_mb=None) == 2  # memory unknown: nothing beyond
    assert admission.starts(2, [0.1] * 10, idle_cpus=2.0, available_mb=4 * 2048) == 2


def test_without_a_memory_limit_only_the_cap_bounds():
    assert Admission(baseline=2, cap=16, memory_mb=None).most(available_mb=None) == 16


@pytest.mark.parametrize(("baseline", "cap"), [(3, 0), (3, 3), (3, 2)])
def test_a_cap_at_or_below_the_baseline_is_a_plain_pool(baseline, cap):
    admission = Admission(baseline=baseline, cap=cap, memory_mb=2048)
    assert admission.most(available_mb=1e9) == 3
    assert admission.starts(0, [1.0] * 9, idle_cpus=None, available_mb=None) == 3
    assert admission.starts(3, [0.1] * 9, idle_cpus=2.0, available_mb=1e9) == 0


@pytest.mark.parametrize("baseline", [0, -2])
def test_at_least_one_run_starts(baseline):
    assert Admission(baseline=baseline).starts(0, [1.0, 1.0], None, None) == 1


# -- the probe ---------------------------------------------------------------------

STAT = "cpu  {user} 0 {system} {idle} {iowait} 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n"
MEMINFO = "MemTotal:       24683520 kB\nMemFree:         1 kB\nMemAvailable:   4194304 kB\n"


class FakeProc:
    def __init__(self) -> None:
        self.now = 0.0
        self.stat = STAT.format(user=100, system=50, idle=800, iowait=50)
        self.meminfo = MEMINFO

    def read(self, path: str) -> str:
        if path == "/proc/stat":
            return self.stat
        if path == "/proc/meminfo":
            return self.meminfo
        raise FileNotFoundError(path)


def test_the_probe_reads_idle_cpus_from_proc_stat():
    proc = FakeProc()
    probe = SystemProbe(cpus=2, read=proc.read, clock=lambda: proc.now, window=0.05)
    proc.now = 0.1
    # 100 ticks more: 25 busy, 75 idle or waiting for I/O: 0.75 of 2 CPUs idle.
    proc.stat = STAT.format(user=115, system=60, idle=860, iowait=65)
    assert probe.idle_cpus() == pytest.approx(1.5)


def test_a_sample_shorter_than_the_window_tells_nothing_and_is_kept():
    proc = FakeProc()
    probe = SystemProbe(cpus=2, read=proc.read, clock=lambda: proc.now, window=0.05)
    proc.now = 0.01
    proc.stat = STAT.format(user=200, system=50, idle=800, iowait=50)
    assert probe.idle_cpus() is None
    proc.now = 0.06  # the sample runs from 0, not from the early reading
    assert probe.idle_cpus() == pytest.approx(0.0)


def test_no_tick_counted_is_no_answer():
    proc = FakeProc()
    probe = SystemProbe(cpus=2, read=proc.read, clock=lambda: proc.now)
    proc.now = 1.0
    assert probe.idle_cpus() is None


def test_the_probe_reads_available_memory():
    proc = FakeProc()
    assert SystemProbe(cpus=2, read=proc.read).available_mb() == 4096


def test_without_proc_nothing_is_known():
    def unreadable(path: str) -> str:
        raise FileNotFoundError(path)

    now = [0.0]
    probe = SystemProbe(cpus=4, read=unreadable, clock=lambda: now[0])
    now[0] = 1.0
    assert probe.idle_cpus() is None
    assert probe.available_mb() is None


def test_the_real_probe_answers_on_linux():
    if not Path("/proc/stat").exists():
        pytest.skip("no /proc here")
    probe = SystemProbe(cpus=2)
    assert probe.available_mb() > 0
    assert schedule.usable_cpus() >= 1


def test_guest_and_interrupt_time_is_busy_time_counted_once():
    proc = FakeProc()
    line = "cpu  {} 0 {} {} {} {} 0 0 {} 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n"
    proc.stat = line.format(100, 50, 800, 50, 0, 0)
    probe = SystemProbe(cpus=2, read=proc.read, clock=lambda: proc.now, window=0.05)
    proc.now = 0.1
    # 100 ticks more: 40 idle, 10 in interrupts, 50 user (of which 30 ran a guest,
    # already counted in user): 0.4 of 2 CPUs idle.
    proc.stat = line.format(150, 50, 840, 50, 10, 30)
    assert probe.idle_cpus() == pytest.approx(0.8)


def test_the_window_is_measured_from_the_last_sample_on_a_real_clock():
    proc = FakeProc()
    proc.now = 1024.0  # a monotonic clock counts from boot, not from 0
    probe = SystemProbe(cpus=2, read=proc.read, clock=lambda: proc.now, window=0.25)
    proc.now = 1024.125
    proc.stat = STAT.format(user=115, system=60, idle=860, iowait=65)
    assert probe.idle_cpus() is None
    proc.now = 1024.25  # a sample exactly as long as the window is long enough
    assert probe.idle_cpus() == pytest.approx(1.5)


def test_each_reading_covers_the_time_since_the_previous_one():
    proc = FakeProc()
    probe = SystemProbe(cpus=2, read=proc.read, clock=lambda: proc.now, window=0.05)
    proc.now = 0.1
    proc.stat = STAT.format(user=115, system=60, idle=860, iowait=65)
    assert probe.idle_cpus() == pytest.approx(1.5)
    proc.now = 0.2  # 100 ticks more, all busy
    proc.stat = STAT.format(user=215, system=60, idle=860, iowait=65)
    assert probe.idle_cpus() == pytest.approx(0.0)


@pytest.mark.parametrize("fails", ["first", "second"])
def test_a_sample_that_cannot_be_read_is_no_answer(fails):
    proc = FakeProc()
    good = proc.read

    def read(path: str) -> str:
        if (fails == "first") == (proc.now == 0.0):
            raise OSError("no /proc")
        return good(path)

    probe = SystemProbe(cpus=2, read=read, clock=lambda: proc.now, window=0.05)
    proc.now = 0.1
    assert probe.idle_cpus() is None


def test_usable_cpus_is_this_process_affinity(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 2, 5}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert schedule.usable_cpus() == 3


@pytest.mark.parametrize("affinity", ["missing", "fails"])
@pytest.mark.parametrize(("count", "cpus"), [(8, 8), (None, 1)])
def test_usable_cpus_without_an_affinity_is_the_machines_count(monkeypatch, affinity, count, cpus):
    # macOS has no sched_getaffinity; a count the system cannot tell is None.
    if affinity == "missing":
        monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    else:

        def refused(pid: int) -> set[int]:
            raise OSError("not permitted")

        monkeypatch.setattr(os, "sched_getaffinity", refused, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: count)
    assert schedule.usable_cpus() == cpus


# -- the loop ----------------------------------------------------------------------


def test_busy_cpus_keep_it_to_the_baseline():
    probe, gate = FakeProbe(idle=0.0), Gate()
    thread, errors = in_background(
        run_scheduled, list(range(6)), gate, Admission(baseline=2, cap=8), probe, tick=0.001
    )
    gate.wait_for_starts(2)
    probe.wait_for_readings(20)  # twenty decisions, every one "busy"
    assert gate.started == [0, 1]
    gate.release.set()
    thread.join(DEADLINE)
    assert errors == [] and sorted(gate.started) == list(range(6))
    assert gate.most_live == 2


def test_idle_cpus_let_more_runs_start_up_to_the_cap():
    probe, gate = FakeProbe(idle=2.0), Gate()
    thread, errors = in_background(
        run_scheduled,
        list(range(10)),
        gate,
        Admission(baseline=2, cap=5),
        probe,
        share=lambda item: 0.1,
        tick=0.001,
    )
    gate.wait_for_starts(5)
    probe.wait_for_readings(probe.readings + 20)
    assert gate.started == [0, 1, 2, 3, 4]  # in order, and never past the cap
    gate.release.set()
    thread.join(DEADLINE)
    assert errors == [] and gate.started == list(range(10))
    assert gate.most_live == 5


def test_the_memory_keeps_it_below_the_cap():
    probe, gate = FakeProbe(idle=2.0, available=3 * 2048), Gate()
    thread, errors = in_background(
        run_scheduled,
        list(range(8)),
        gate,
        Admission(baseline=1, cap=8, memory_mb=2048),
        probe,
        share=lambda item: 0.1,
        tick=0.001,
    )
    gate.wait_for_starts(3)
    probe.wait_for_readings(probe.readings + 20)
    assert len(gate.started) == 3
    gate.release.set()
    thread.join(DEADLINE)
    assert errors == [] and gate.most_live == 3


def test_a_plain_pool_never_reads_the_probe():
    probe, gate = FakeProbe(idle=2.0), Gate()
    gate.release.set()
    run_scheduled(list(range(5)), gate, Admission(baseline=2), probe)
    assert probe.readings == 0
    assert sorted(gate.started) == list(range(5)) and gate.most_live <= 2


def test_one_worker_runs_in_order():
    gate = Gate()
    gate.release.set()
    run_scheduled(list("abcd"), gate, Admission(baseline=1), FakeProbe())
    assert gate.started == list("abcd") and gate.most_live == 1


def test_an_error_stops_further_starts_and_reaches_the_caller():
    gate = Gate()
    gate.release.set()
    boom = RuntimeError("the build is stopping")
    with pytest.raises(RuntimeError, match="stopping"):
        run_scheduled([1, boom, 3, 4, 5], gate, Admission(baseline=1), FakeProbe())
    assert gate.started == [1, boom]


def test_nothing_to_do():
    probe = FakeProbe()
    run_scheduled([], lambda item: None, Admission(baseline=2, cap=8), probe)


def test_a_pool_as_big_as_its_cap_never_reads_the_probe():
    probe, gate = FakeProbe(idle=2.0), Gate()
    gate.release.set()
    run_scheduled(list(range(5)), gate, Admission(baseline=2, cap=2), probe)
    assert probe.readings == 0
    assert sorted(gate.started) == list(range(5)) and gate.most_live <= 2


def test_a_worker_that_frees_up_starts_the_next_run_at_once():
    # Not in batches: the short run's worker takes the next item while the long one runs.
    next_started = threading.Event()
    seen = []

    def work(item: str) -> None:
        if item == "long":
            seen.append(next_started.wait(DEADLINE / 10))
        elif item == "next":
            next_started.set()

    run_scheduled(["long", "short", "next"], work, Admission(baseline=2), FakeProbe())
    assert seen == [True]


def test_after_an_error_no_run_starts_while_the_others_finish():
    started = []
    third = threading.Event()

    def work(item: str) -> None:
        started.append(item)
        if item == "boom":
            raise RuntimeError("the build is stopping")
        if item == "slow":
            third.wait(0.3)  # time for the loop to see the error; a third run would end it
        else:
            third.set()

    with pytest.raises(RuntimeError, match="stopping"):
        run_scheduled(["slow", "boom", "c", "d"], work, Admission(baseline=2), FakeProbe())
    assert sorted(started) == ["boom", "slow"]


def test_the_first_error_is_the_one_raised():
    first_raised = threading.Event()

    def work(item: str) -> None:
        if item == "first":
            first_raised.set()
            raise RuntimeError("first")
        assert first_raised.wait(DEADLINE)
        time.sleep(0.3)  # the loop sees the first error before this one
        raise RuntimeError("second")

    with pytest.raises(RuntimeError, match="^first$"):
        run_scheduled(["first", "second"], work, Admission(baseline=2), FakeProbe())


# -- the runner --------------------------------------------------------------------

PYTHON = Interpreter(
    key=(3, 14, 10),
    version="3.14.10",
    implementation="CPython",
    path="/usr/bin/python3.14",
    root="/",
    machine="x86_64",
)
SETTINGS = RunSettings(
    sandbox=True, limits=Limits(memory_mb=2048, cpu_seconds=300), output_limit=65536
)


def job(name: str, slug: str = "post") -> Job:
    return Job(
        code=f"# {name}\n",
        name=name,
        options=RunOptions(timeout=5.0),
        interpreter=PYTHON,
        origin=f"/somewhere/snippets/{slug}/{name}",
    )


class Recorder:
    """A supervisor that answers at once and records which code ran, in order."""

    def __init__(self, seconds: float = 1.0, cpu_seconds: float = 0.25) -> None:
        self.codes: list[str] = []
        self.seconds = seconds
        self.cpu_seconds = cpu_seconds
        self._lock = threading.Lock()

    def run(self, code: str, **kwargs) -> RunResult:
        with self._lock:
            self.codes.append(code)
        return RunResult("", "", 0, False, self.seconds, 5.0, cpu_seconds=self.cpu_seconds)


def test_the_record_names_a_snippet_by_its_post_and_file():
    assert snippet_of(job("chunks.py", slug="caution")) == "caution/chunks.py"
    assert snippet_of(dataclasses.replace(job("chunks.py"), origin="")) == "chunks.py"


def test_the_runner_records_each_run_in_the_cache_folder(tmp_path):
    cache = Cache(tmp_path / "cache")
    supervisor = Recorder(seconds=1.5, cpu_seconds=0.3)
    runner = Runner(supervisor, SETTINGS, cache)
    runner.run_all([job("a.py"), job("b.py")], workers=2)
    record = Durations(cache.root / "durations.json")
    assert record.estimate("post/a.py", "3.14.10") == Estimate(1.5, 0.3)
    # An edited snippet keeps its estimate: the record is not keyed by the code.
    edited = dataclasses.replace(job("a.py"), code="# a, edited\n")
    assert Runner(supervisor, SETTINGS, cache).estimate(edited) == Estimate(1.5, 0.3)


def test_the_runner_starts_the_longest_known_runs_first_after_the_unknown_ones(tmp_path):
    cache = Cache(tmp_path / "cache")
    record = Durations(cache.root / "durations.json")
    for name, seconds in [("short.py", 0.5), ("long.py", 9.0), ("middle.py", 3.0)]:
        record.add(f"post/{name}", "3.14.10", seconds, 0.1)
    record.save()
    supervisor = Recorder()
    names = ["short.py", "new.py", "long.py", "middle.py"]
    Runner(supervisor, SETTINGS, cache).run_all([job(n) for n in names], workers=1)
    assert supervisor.codes == ["# new.py\n", "# long.py\n", "# middle.py\n", "# short.py\n"]


def test_without_a_cache_the_runner_orders_by_this_builds_runs():
    supervisor = Recorder()
    runner = Runner(supervisor, SETTINGS, None)
    runner.run_all([job("a.py")], workers=1)
    assert runner.estimate(job("a.py")) == Estimate(1.0, 0.25)


class BlockingSupervisor:
    """Runs block until released; counts the live ones."""

    def __init__(self) -> None:
        self.gate = Gate()

    def run(self, code: str, **kwargs) -> RunResult:
        self.gate(code)
        return RunResult("", "", 0, False, 1.0, 5.0, cpu_seconds=0.1)


@pytest.mark.parametrize(
    ("idle", "available", "up_to", "most"),
    [
        (0.0, 1e9, 8, 2),  # busy: one per worker
        (2.0, 1e9, 8, 8),  # idle: up to up_to
        (2.0, 3 * 2048, 8, 3),  # idle, but memory for three
        (2.0, 1e9, None, 2),  # no up_to (SNIPPET_JOBS): exactly the workers
    ],
    ids=["busy", "idle", "memory", "explicit"],
)
def test_run_all_admits_more_runs_only_while_idle(idle, available, up_to, most):
    supervisor = BlockingSupervisor()
    runner = Runner(supervisor, SETTINGS, None)
    runner.probe = probe = FakeProbe(idle=idle, available=available)
    jobs = [job(f"{n}.py") for n in range(12)]
    thread, errors = in_background(runner.run_all, jobs, 2, up_to=up_to)
    supervisor.gate.wait_for_starts(most)
    if up_to:
        probe.wait_for_readings(probe.readings + 5)  # five more decisions, none to start
    assert len(supervisor.gate.started) == most
    supervisor.gate.release.set()
    thread.join(DEADLINE)
    assert errors == [] and supervisor.gate.most_live == most
    assert runner.ran == 12
