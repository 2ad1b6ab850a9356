"""The runner: job keys, one run per job, the cache, and parallel runs (with a fake supervisor)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
import time
from pathlib import Path

import pytest

from snippet_runner.executor import runner as runner_module
from snippet_runner.executor import schedule
from snippet_runner.executor.cache import Cache
from snippet_runner.executor.interpreters import Interpreter
from snippet_runner.executor.options import RunOptions
from snippet_runner.executor.process import Limits, RunResult, run_environment
from snippet_runner.executor.runner import (
    FORMAT,
    Job,
    Runner,
    RunSettings,
    job_key,
    kept_promises,
)

PYTHON = Interpreter(
    key=(3, 11, 7),
    version="3.11.7",
    implementation="CPython",
    path="/usr/bin/python3",
    root="/",
    machine="x86_64",
)
SETTINGS = RunSettings(
    sandbox=True, limits=Limits(memory_mb=2048, cpu_seconds=300), output_limit=65536
)
JOB = Job(
    code="print('hi')\n", name="hello.py", options=RunOptions(timeout=5.0), interpreter=PYTHON
)


def ok(stdout: str = "hi\n", returncode: int = 0) -> RunResult:
    return RunResult(stdout, "", returncode, False, 0.01, 5.0)


def job(n: int = 0, **changes) -> Job:
    return dataclasses.replace(JOB, code=f"print({n})\n", **changes)


class FakeSupervisor:
    """Records its calls; ``answer(code)`` gives each run's result after ``delay`` seconds."""

    def __init__(self, answer=None, delay: float = 0.0) -> None:
        self.answer = answer or (lambda code: ok(code))
        self.delay = delay
        self.calls: list[tuple[str, dict]] = []
        self.active = 0
        self.most_active = 0
        self._lock = threading.Lock()

    def run(self, code: str, **kwargs) -> RunResult:
        with self._lock:
            self.calls.append((code, kwargs))
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        time.sleep(self.delay)
        with self._lock:
            self.active -= 1
        return self.answer(code)

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.calls]


@pytest.fixture
def cache(tmp_path) -> Cache:
    return Cache(tmp_path / "cache")


# -- job_key -------------------------------------------------------------------


def test_the_key_is_a_sha256_of_everything_that_can_change_an_output():
    material = {
        "format": [FORMAT, runner_module._RUN_CODE],
        "interpreter": ["CPython", "/usr/bin/python3", "/", "3.11.7", "x86_64"],
        "environment": sorted(run_environment(width=80).items()),
        "sandbox": True,
        "limits": [2048, 300, 65536],
        "name": "hello.py",
        "timeout": 5.0,
        "code": "print('hi')\n",
    }
    expected = hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()
    assert job_key(JOB, SETTINGS) == expected


def test_the_run_code_covers_process_and_sandbox():
    folder = Path(runner_module.__file__).parent
    source = (folder / "process.py").read_bytes() + (folder / "sandbox.py").read_bytes()
    assert hashlib.sha256(source).hexdigest() == runner_module._RUN_CODE
    assert FORMAT == 2


def test_the_key_is_stable():
    assert job_key(JOB, SETTINGS) == job_key(
        dataclasses.replace(JOB), dataclasses.replace(SETTINGS)
    )
    assert len(job_key(JOB, SETTINGS)) == 64


VARIANTS = {
    "code": dict(job=dict(code="print('ho')\n")),
    "name": dict(job=dict(name="other.py")),
    "timeout": dict(job=dict(options=RunOptions(timeout=6.0))),
    "width": dict(job=dict(options=RunOptions(timeout=5.0, width=100))),
    "path": dict(job=dict(interpreter=dataclasses.replace(PYTHON, path="/usr/local/bin/python3"))),
    "root": dict(job=dict(interpreter=dataclasses.replace(PYTHON, root="/srv/sid"))),
    "version": dict(job=dict(interpreter=dataclasses.replace(PYTHON, version="3.11.8"))),
    "machine": dict(job=dict(interpreter=dataclasses.replace(PYTHON, machine="aarch64"))),
    "implementation": dict(
        job=dict(interpreter=dataclasses.replace(PYTHON, implementation="PyPy"))
    ),
    "sandbox": dict(settings=dict(sandbox=False)),
    "memory": dict(settings=dict(limits=Limits(memory_mb=1024, cpu_seconds=300))),
    "cpu": dict(settings=dict(limits=Limits(memory_mb=2048, cpu_seconds=30))),
    "no limits": dict(settings=dict(limits=Limits())),
    "output limit": dict(settings=dict(output_limit=1024)),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_key_changes_with(variant):
    changes = VARIANTS[variant]
    changed = job_key(
        dataclasses.replace(JOB, **changes.get("job", {})),
        dataclasses.replace(SETTINGS, **changes.get("settings", {})),
    )
    assert changed != job_key(JOB, SETTINGS)


def test_every_variant_has_its_own_key():
    keys = {
        job_key(
            dataclasses.replace(JOB, **changes.get("job", {})),
            dataclasses.replace(SETTINGS, **changes.get("settings", {})),
        )
        for changes in VARIANTS.values()
    }
    assert len(keys | {job_key(JOB, SETTINGS)}) == len(VARIANTS) + 1


@pytest.mark.parametrize(
    "changes",
    [
        dict(origin="snippets/post/hello.py"),
        dict(options=RunOptions(timeout=5.0, returncode=1)),
        dict(options=RunOptions(timeout=5.0, hangs=True)),
        dict(options=RunOptions(timeout=5.0, versions=">=3.11", reason="why")),
    ],
    ids=["origin", "returncode", "hangs", "versions"],
)
def test_the_key_does_not_change_with(changes):
    # The verdict on a run depends on these, the output does not: the same run is reused.
    assert job_key(dataclasses.replace(JOB, **changes), SETTINGS) == job_key(JOB, SETTINGS)


# -- kept_promises -------------------------------------------------------------


def test_kept_promises():
    assert kept_promises(JOB, ok()) is True
    assert kept_promises(JOB, ok(returncode=1)) is False
    assert kept_promises(job(options=RunOptions(timeout=5, returncode=1)), ok(returncode=1)) is True
    timed_out = RunResult("", "", None, True, 5.0, 5.0)
    assert kept_promises(JOB, timed_out) is False
    assert kept_promises(job(options=RunOptions(timeout=5, hangs=True)), timed_out) is True


# -- Runner.get ----------------------------------------------------------------


def test_get_runs_with_the_job_and_the_settings():
    supervisor = FakeSupervisor()
    settings = RunSettings(sandbox=False, limits=Limits(memory_mb=100), output_limit=10)
    the_job = Job(
        code="print(1)\n",
        name="one.py",
        options=RunOptions(timeout=2.5, width=42),
        interpreter=dataclasses.replace(PYTHON, path="/opt/py/bin/python3.11", root="/srv/root"),
    )
    result = Runner(supervisor, settings, None).get(the_job)
    assert result == ok("print(1)\n")
    assert supervisor.calls == [
        (
            "print(1)\n",
            dict(
                name="one.py",
                timeout=2.5,
                python="/opt/py/bin/python3.11",
                root="/srv/root",
                env=run_environment(width=42),
                limit=10,
                sandbox=False,
                rlimits=Limits(memory_mb=100),
            ),
        )
    ]


def test_get_runs_once_and_remembers():
    supervisor = FakeSupervisor()
    runner = Runner(supervisor, SETTINGS, None)
    assert runner.ran == 0
    first = runner.get(JOB)
    assert runner.get(JOB) is first
    assert runner.get(dataclasses.replace(JOB, origin="elsewhere")) is first
    assert supervisor.codes == [JOB.code]
    assert runner.ran == 1
    runner.get(job(1))
    assert runner.ran == 2
    assert supervisor.codes == [JOB.code, "print(1)\n"]


def test_an_accepted_result_is_stored(cache):
    runner = Runner(FakeSupervisor(), SETTINGS, cache)
    result = runner.get(JOB)
    assert cache.load(job_key(JOB, SETTINGS)) == result


def test_a_rejected_result_is_remembered_but_not_stored(cache):
    supervisor = FakeSupervisor(lambda code: ok(returncode=1))
    seen = []

    def accept(job, result):
        seen.append((job, result))
        return False

    runner = Runner(supervisor, SETTINGS, cache, accept=accept)
    result = runner.get(JOB)
    assert seen == [(JOB, result)]
    assert runner.get(JOB) is result
    assert runner.known(JOB) is result
    assert len(supervisor.calls) == 1 and runner.ran == 1
    assert cache.load(job_key(JOB, SETTINGS)) is None
    assert not cache.root.exists()
    # The next build runs it again.
    again = Runner(supervisor, SETTINGS, cache, accept=accept)
    assert again.known(JOB) is None
    again.get(JOB)
    assert len(supervisor.calls) == 2


def test_by_default_only_runs_that_keep_their_promises_are_stored(cache):
    runner = Runner(FakeSupervisor(lambda code: ok(returncode=int(code))), SETTINGS, cache)
    failing = dataclasses.replace(JOB, code="1")
    declared = dataclasses.replace(JOB, code="2", options=RunOptions(timeout=5, returncode=2))
    runner.get(failing)
    runner.get(declared)
    assert cache.load(job_key(failing, SETTINGS)) is None
    assert cache.load(job_key(declared, SETTINGS)) == ok(returncode=2)


def test_a_cached_result_is_used_without_running(cache):
    stored = ok("from the cache\n")
    cache.store(job_key(JOB, SETTINGS), stored)
    supervisor = FakeSupervisor()
    runner = Runner(supervisor, SETTINGS, cache)
    assert runner.get(JOB) == stored
    assert supervisor.calls == [] and runner.ran == 0


def test_a_cached_result_is_read_once(cache):
    cache.store(job_key(JOB, SETTINGS), ok("cached\n"))
    runner = Runner(FakeSupervisor(), SETTINGS, cache)
    first = runner.known(JOB)
    cache.path(job_key(JOB, SETTINGS)).unlink()
    assert runner.known(JOB) is first
    assert runner.get(JOB) is first


def test_a_cache_entry_of_other_settings_is_not_used(cache):
    cache.store(job_key(JOB, SETTINGS), ok("cached\n"))
    supervisor = FakeSupervisor()
    runner = Runner(supervisor, dataclasses.replace(SETTINGS, sandbox=False), cache)
    assert runner.get(JOB) == ok(JOB.code)
    assert len(supervisor.calls) == 1


def test_without_a_cache_nothing_is_stored_and_nothing_warned():
    warnings = []
    runner = Runner(FakeSupervisor(), SETTINGS, None, warn=warnings.append)
    assert runner.known(JOB) is None
    runner.get(JOB)
    assert warnings == []


def test_an_unwritable_cache_is_a_warning_not_an_error(tmp_path):
    (tmp_path / "cache").write_text("a file")
    warnings = []
    runner = Runner(FakeSupervisor(), SETTINGS, Cache(tmp_path / "cache"), warn=warnings.append)
    result = runner.get(JOB)
    assert result == ok(JOB.code)
    assert warnings == [
        f"cannot write the cache in {tmp_path / 'cache'} (Not a directory); results are not kept"
    ]
    assert runner.get(JOB) is result
    assert len(warnings) == 1


def test_the_default_warn_is_silent(tmp_path):
    (tmp_path / "cache").write_text("a file")
    runner = Runner(FakeSupervisor(), SETTINGS, Cache(tmp_path / "cache"))
    assert runner.warn("anything") is None
    assert runner.get(JOB) == ok(JOB.code)


# -- Runner.run_all --------------------------------------------------------------


def test_run_all_runs_only_unknown_jobs(cache):
    jobs = [job(n) for n in range(5)]
    cache.store(job_key(jobs[0], SETTINGS), ok("cached\n"))
    supervisor = FakeSupervisor()
    runner = Runner(supervisor, SETTINGS, cache)
    runner.get(jobs[1])
    assert runner.run_all(jobs, workers=2) == 3
    assert sorted(supervisor.codes) == ["print(1)\n", "print(2)\n", "print(3)\n", "print(4)\n"]
    assert runner.ran == 4
    assert [runner.get(j) for j in jobs] == [ok("cached\n")] + [ok(j.code) for j in jobs[1:]]
    assert len(supervisor.calls) == 4
    assert runner.run_all(jobs, workers=2) == 0


def test_each_job_key_is_worked_out_once_per_build(cache, monkeypatch):
    calls = []

    def counting(job, settings):
        calls.append(job.code)
        return job_key(job, settings)

    monkeypatch.setattr(runner_module, "job_key", counting)
    runner = Runner(FakeSupervisor(), SETTINGS, cache)
    jobs = [job(n) for n in range(3)]
    runner.run_all(jobs, workers=2)
    for one in jobs * 2:
        assert runner.known(one) == ok(one.code)
    assert sorted(calls) == ["print(0)\n", "print(1)\n", "print(2)\n"]
    assert runner.key(jobs[0]) == job_key(jobs[0], SETTINGS)


def test_run_all_runs_a_repeated_job_once():
    supervisor = FakeSupervisor()
    runner = Runner(supervisor, SETTINGS, None)
    again = dataclasses.replace(job(1), origin="another post")
    assert runner.run_all([job(1), job(2), again, job(1)], workers=4) == 2
    assert sorted(supervisor.codes) == ["print(1)\n", "print(2)\n"]


def test_run_all_does_not_rerun_a_rejected_result():
    supervisor = FakeSupervisor(lambda code: ok(returncode=1))
    runner = Runner(supervisor, SETTINGS, None)
    assert runner.run_all([job(1)], workers=1) == 1
    assert runner.run_all([job(1)], workers=1) == 0
    assert len(supervisor.calls) == 1


def test_run_all_runs_in_parallel():
    supervisor = FakeSupervisor(delay=0.2)
    runner = Runner(supervisor, SETTINGS, None)
    started = time.monotonic()
    assert runner.run_all([job(n) for n in range(4)], workers=4) == 4
    assert supervisor.most_active == 4
    assert time.monotonic() - started < 0.6  # four runs of 0.2 s, not 0.8 s one after another


def test_run_all_keeps_to_the_number_of_workers():
    supervisor = FakeSupervisor(delay=0.05)
    Runner(supervisor, SETTINGS, None).run_all([job(n) for n in range(6)], workers=2)
    assert supervisor.most_active == 2


@pytest.mark.parametrize("workers", [1, 0, -3])
def test_run_all_with_one_worker_or_less_runs_one_at_a_time(workers):
    supervisor = FakeSupervisor(delay=0.02)
    Runner(supervisor, SETTINGS, None).run_all([job(n) for n in range(3)], workers=workers)
    assert supervisor.most_active == 1
    assert supervisor.codes == ["print(0)\n", "print(1)\n", "print(2)\n"]


def test_progress_counts_done_total_and_failed():
    fails = {"print(1)\n", "print(3)\n"}
    supervisor = FakeSupervisor(lambda code: ok(returncode=1 if code in fails else 0))
    calls = []
    runner = Runner(supervisor, SETTINGS, None)
    runner.get(job(0))  # known: not part of the total
    total = runner.run_all(
        [job(n) for n in range(5)], workers=1, progress=lambda *a: calls.append(a)
    )
    assert total == 4
    assert calls == [(1, 4, 1), (2, 4, 1), (3, 4, 2), (4, 4, 2)]


def test_progress_uses_the_runners_accept():
    calls = []
    runner = Runner(FakeSupervisor(), SETTINGS, None, accept=lambda job, result: "2" in job.code)
    runner.run_all([job(n) for n in range(3)], workers=1, progress=lambda *a: calls.append(a))
    assert calls == [(1, 3, 1), (2, 3, 2), (3, 3, 2)]


def test_progress_in_parallel_counts_every_run_once():
    calls = []
    supervisor = FakeSupervisor(lambda code: ok(returncode=int(code[6]) % 2), delay=0.02)
    runner = Runner(supervisor, SETTINGS, None)
    runner.run_all([job(n) for n in range(8)], workers=4, progress=lambda *a: calls.append(a))
    assert [done for done, _, _ in calls] == list(range(1, 9))
    assert {total for _, total, _ in calls} == {8}
    assert [failed for _, _, failed in calls] == sorted(failed for _, _, failed in calls)
    assert calls[-1] == (8, 8, 4)


def test_progress_is_not_called_when_nothing_runs():
    calls = []
    runner = Runner(FakeSupervisor(), SETTINGS, None)
    assert runner.run_all([], workers=2, progress=lambda *a: calls.append(a)) == 0
    assert calls == []


def test_run_all_without_progress():
    supervisor = FakeSupervisor()
    assert Runner(supervisor, SETTINGS, None).run_all([job(1), job(2)], workers=2) == 2
    assert len(supervisor.calls) == 2


def test_run_all_stores_accepted_results(cache):
    supervisor = FakeSupervisor(lambda code: ok(returncode=int(code[6]) % 2))
    runner = Runner(supervisor, SETTINGS, cache)
    runner.run_all([job(n) for n in range(4)], workers=2)
    stored = [cache.load(job_key(job(n), SETTINGS)) for n in range(4)]
    assert stored == [ok(returncode=0), None, ok(returncode=0), None]


def test_an_error_in_a_run_reaches_the_caller():
    def boom(code):
        raise RuntimeError("the supervisor was stopped")

    runner = Runner(FakeSupervisor(boom), SETTINGS, None)
    with pytest.raises(RuntimeError, match="stopped"):
        runner.run_all([job(1)], workers=2)
    assert runner.ran == 0 and runner.known(job(1)) is None


# -- durations (what runs cost, for the order of the next build's runs) ----------


@pytest.mark.parametrize(
    ("origin", "name", "snippet"),
    [
        ("snippets/my-post/hello.py", "hello.py", "my-post/hello.py"),
        ("/abs/snippets/my-post/other.py", "hello.py", "my-post/hello.py"),  # the job's name wins
        ("", "hello.py", "hello.py"),
        ("hello.py", "hello.py", "hello.py"),  # no folder
    ],
)
def test_snippet_of(origin, name, snippet):
    assert runner_module.snippet_of(dataclasses.replace(JOB, origin=origin, name=name)) == snippet


def timed(seconds: float, cpu: float) -> RunResult:
    return RunResult("", "", 0, False, seconds, 5.0, cpu)


def test_a_run_records_its_duration(cache):
    runner = Runner(FakeSupervisor(lambda code: timed(2.5, 0.5)), SETTINGS, cache)
    posted = dataclasses.replace(JOB, origin="snippets/post/hello.py")
    assert runner.estimate(posted) is None
    runner.get(posted)
    estimate = runner.estimate(posted)
    assert (estimate.seconds, estimate.cpu_seconds) == (2.5, 0.5)
    # Keyed by snippet and version, not by the code: an edited snippet keeps its estimate.
    assert runner.estimate(dataclasses.replace(posted, code="changed")) == estimate
    assert runner.estimate(dataclasses.replace(posted, origin="snippets/other/hello.py")) is None


def test_a_cached_result_records_no_duration(cache):
    cache.store(job_key(JOB, SETTINGS), timed(9.0, 1.0))
    runner = Runner(FakeSupervisor(), SETTINGS, cache)
    runner.get(JOB)
    assert runner.estimate(JOB) is None


def test_run_all_saves_the_durations_for_the_next_build(cache):
    supervisor = FakeSupervisor(lambda code: timed(float(code[6]), 0.1))
    first = Runner(supervisor, SETTINGS, cache)
    first.run_all([named(n) for n in (1, 3, 2)], workers=1)
    assert (cache.root / "durations.json").is_file()
    # The next build (no cached results: another sandbox setting) starts the one
    # never measured, then the longest first.
    later = FakeSupervisor(lambda code: timed(1.0, 0.1))
    settings = dataclasses.replace(SETTINGS, sandbox=False)
    Runner(later, settings, cache).run_all([named(n) for n in (1, 2, 4, 3)], workers=1)
    assert later.codes == ["print(4)\n", "print(3)\n", "print(2)\n", "print(1)\n"]


def test_without_a_cache_durations_are_kept_for_this_build_only():
    runner = Runner(FakeSupervisor(lambda code: timed(2.0, 0.2)), SETTINGS, None)
    runner.run_all([job(1)], workers=1)
    assert runner.estimate(job(1)).seconds == 2.0


def test_nothing_to_run_writes_nothing(cache):
    cache.store(job_key(JOB, SETTINGS), ok())
    runner = Runner(FakeSupervisor(), SETTINGS, cache)
    assert runner.run_all([JOB], workers=2) == 0
    assert not (cache.root / "durations.json").exists()


def test_unwritable_durations_are_a_warning(tmp_path):
    (tmp_path / "cache").write_text("a file")
    warnings = []
    runner = Runner(FakeSupervisor(), SETTINGS, Cache(tmp_path / "cache"), warn=warnings.append)
    assert runner.run_all([job(1)], workers=1) == 1
    assert warnings[-1] == (
        f"cannot write the run durations in {tmp_path / 'cache' / 'durations.json'} (File exists)"
    )


def test_durations_are_saved_even_when_a_run_fails(cache):
    def boom(code):
        if "2" in code:
            raise RuntimeError("stopped")
        return timed(1.0, 0.1)

    runner = Runner(FakeSupervisor(boom), SETTINGS, cache)
    with pytest.raises(RuntimeError):
        runner.run_all([job(1), job(2)], workers=1)
    assert (cache.root / "durations.json").is_file()


# -- more runs than workers while the CPUs are idle (up_to) ----------------------


class FakeProbe:
    """A machine with plenty of memory whose CPUs were ``idle`` CPUs idle once, then busy."""

    def __init__(self, idle: float) -> None:
        # The first reading only starts the sample (run_scheduled ignores it).
        self.readings = [None, idle]

    def idle_cpus(self) -> float | None:
        return self.readings.pop(0) if self.readings else 0.0

    def available_mb(self) -> float | None:
        return 1_000_000.0


def test_the_runner_measures_this_machine():
    runner = Runner(FakeSupervisor(), SETTINGS, None)
    assert runner.cpus == schedule.usable_cpus()
    assert type(runner.probe) is schedule.SystemProbe
    assert runner.probe.cpus == runner.cpus


def named(n: int) -> Job:
    return job(n, name=f"s{n}.py", origin=f"snippets/post/s{n}.py")


def test_up_to_starts_more_runs_than_workers_while_cpus_are_idle():
    # Never measured: each run counts as half a CPU; one idle CPU lets two more start.
    supervisor = FakeSupervisor(delay=0.5)
    runner = Runner(supervisor, SETTINGS, None)
    runner.probe = FakeProbe(idle=1.0)
    assert runner.run_all([named(n) for n in range(4)], workers=1, up_to=3) == 4
    assert supervisor.most_active == 3


def test_up_to_counts_the_cpu_share_each_run_took_before(cache):
    # Measured: each run kept a whole CPU busy, so one idle CPU lets one more start.
    first = Runner(FakeSupervisor(lambda code: timed(1.0, 1.0)), SETTINGS, cache)
    first.run_all([named(n) for n in range(4)], workers=1)
    supervisor = FakeSupervisor(delay=0.5)
    runner = Runner(supervisor, dataclasses.replace(SETTINGS, sandbox=False), cache)
    runner.probe = FakeProbe(idle=1.0)
    assert runner.run_all([named(n) for n in range(4)], workers=1, up_to=3) == 4
    assert supervisor.most_active == 2


def test_without_up_to_the_probe_is_not_read():
    class NoProbe:
        def idle_cpus(self):
            raise AssertionError("read /proc/stat")

        available_mb = idle_cpus

    supervisor = FakeSupervisor(delay=0.05)
    runner = Runner(supervisor, SETTINGS, None)
    runner.probe = NoProbe()
    assert runner.run_all([named(n) for n in range(3)], workers=2) == 3
    assert supervisor.most_active == 2
