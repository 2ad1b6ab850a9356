"""The executor itself: process handling, verdicts, expected outputs, build errors.

Each build test makes a one-post site in a temporary folder and checks that a
broken rule fails `mkdocs build --strict` with a message naming the post and
the snippet.
"""

from __future__ import annotations

import dataclasses
import os
import time

import pytest

from snippet_runner import checks, expected, interpreters, results
from snippet_runner.process import RunResult, run_script

from .conftest import THIS_PYTHON

FENCE = '```python exec="on" source="above" {options}\n--8<-- "demo/{name}.py"\n```\n'


def fence(name: str, options: str = "") -> str:
    return FENCE.format(name=name, options=options)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return "\nState:\tZ" not in status.read()  # a zombie has already died
    except FileNotFoundError:
        return False


def _wait_dead(pids: list[int], seconds: float = 5.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := [pid for pid in pids if _alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return alive


POOL_THAT_HANGS = """\
import os, sys, time
from multiprocessing import Pool

def sleep_forever(path):
    with open(path, "a") as f:
        f.write(f"{{os.getpid()}}\\n")
    time.sleep(600)

if __name__ == "__main__":
    print("starting", flush=True)
    with Pool(2) as pool:
        pool.map(sleep_forever, [{pids!r}] * 2, chunksize=1)
"""


# -- processes ---------------------------------------------------------------


def test_timeout_kills_the_whole_process_group(tmp_path):
    pids = tmp_path / "pids"
    result = run_script(POOL_THAT_HANGS.format(pids=str(pids)), timeout=3)
    assert result.timed_out and result.returncode is None
    assert result.stdout == "starting\n"
    worker_pids = [int(line) for line in pids.read_text().split()]
    assert len(worker_pids) == 2
    assert _wait_dead(worker_pids) == [], "pool workers survived the timeout"


def test_no_process_survives_a_script_that_exits(tmp_path):
    pidfile = tmp_path / "pid"
    code = (
        "import subprocess\n"
        f"p = subprocess.Popen(['sleep', '600'])\n"
        f"open({str(pidfile)!r}, 'w').write(str(p.pid))\n"
        "print('leaving a sleep behind')\n"
    )
    result = run_script(code, timeout=10)
    assert result.returncode == 0 and not result.timed_out
    assert _wait_dead([int(pidfile.read_text())]) == [], "the orphaned sleep survived"


def test_exit_code_and_stderr_are_captured():
    result = run_script("import sys\nprint('out')\nsys.exit('boom on stderr')\n")
    assert (result.returncode, result.stdout, result.stderr) == (1, "out\n", "boom on stderr\n")


def test_huge_output_is_cut_with_a_note():
    result = run_script("import sys\nfor _ in range(200_000): sys.stdout.write('x' * 99 + '\\n')\n")
    assert len(result.stdout) < 70_000
    assert result.stdout.endswith(
        "[output cut by the build: 20,000,000 bytes in all, the first 65,500 shown]\n"
    )


def test_non_utf8_bytes_are_escaped_not_fatal():
    result = run_script("import sys\nsys.stdout.buffer.write(b'caf\\xe9\\n')\n")
    assert result.stdout == "caf\\xe9\n"


def test_the_environment_is_fixed_by_the_project(monkeypatch):
    monkeypatch.setenv("PYTHONHASHSEED", "123")
    monkeypatch.setenv("PYTHONWARNINGS", "error")
    monkeypatch.setenv("AUTHOR_SECRET", "x")
    code = (
        "import os, sys\n"
        "print(os.environ.get('PYTHONHASHSEED'), os.environ.get('PYTHONWARNINGS'),"
        " os.environ.get('AUTHOR_SECRET'), sys.stdout.encoding, __name__)\n"
    )
    assert run_script(code).stdout == "0 None None utf-8 __main__\n"


def test_spawn_works_because_the_block_is_a_real_script():
    code = (
        "import multiprocessing as mp\n"
        "def square(x):\n    return x * x\n"
        "if __name__ == '__main__':\n"
        "    with mp.get_context('spawn').Pool(2) as pool:\n"
        "        print(pool.map(square, [1, 2, 3]))\n"
    )
    result = run_script(code, timeout=30)
    assert (result.returncode, result.stdout) == (0, "[1, 4, 9]\n")


# -- verdicts ------------------------------------------------------------------


def _result(**changes) -> RunResult:
    base = dict(stdout="", stderr="err\n", returncode=0, timed_out=False, seconds=0.1, timeout=5)
    return RunResult(**{**base, **changes})


def test_verdicts():
    plain = checks.RunOptions()
    hang = checks.RunOptions.parse({"hangs": "true", "timeout": "2"})
    assert checks.verdict(_result(), plain) is None
    assert "exited with code 3" in checks.verdict(_result(returncode=3), plain)
    assert checks.verdict(_result(returncode=3), checks.RunOptions(returncode=3)) is None
    assert "timed out after 60 s" in checks.verdict(_result(returncode=None, timed_out=True), plain)
    assert checks.verdict(_result(returncode=None, timed_out=True), hang) is None
    assert "declared hangs" in checks.verdict(_result(), hang)


@pytest.mark.parametrize(
    ("raw", "message"),
    [({"hangs": "true"}, "needs an explicit timeout"), ({"timeout": "soon"}, "not a positive")],
)
def test_bad_options_are_explained(raw, message):
    with pytest.raises(checks.OptionError, match=message):
        checks.RunOptions.parse(raw)


# -- expected outputs ------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text", "ok"),
    [
        ("a\nb\n", "a\nb\n", True),
        ("a\nb\n", "a\nc\n", False),
        ("took ... s\n", "took 0.25 s\n", True),
        ("took ... s\n", "took 0.25 s\nextra\n", False),
        ("start\n...\nend\n", "start\nx\ny\nend\n", True),
        ("start\n...\nend\n", "start\nend\n", True),
        ("start\n...\nend\n", "start\nx\n", False),
        ("a.b\n", "aXb\n", False),  # only ... is special
    ],
)
def test_wildcards(pattern, text, ok):
    assert expected.matches(pattern, text) is ok


def test_update_keeps_files_that_still_match(tmp_path):
    snippet = tmp_path / "x.py"
    snippet.write_text("")
    snippet.with_suffix(".stdout").write_text("pid ...\n")
    assert expected.update(snippet, {"3.11": _result(stdout="pid 42\n", stderr="")}) == []
    assert snippet.with_suffix(".stdout").read_text() == "pid ...\n"
    written = expected.update(snippet, {"3.11": _result(stdout="changed\n", stderr="warn\n")})
    assert written == [snippet.with_suffix(".stdout"), snippet.with_suffix(".stderr")]


def test_a_version_that_changes_behaviour_gets_a_file_later_ones_inherit(tmp_path):
    snippet = tmp_path / "x.py"
    snippet.write_text("")
    old, new = _result(stdout="old\n", stderr=""), _result(stdout="new\n", stderr="")
    expected.update(snippet, {"3.11": old, "3.12": new, "3.13": new})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.3.12.stdout", "x.py", "x.stdout"]
    assert (tmp_path / "x.stdout").read_text() == "old\n"
    assert (tmp_path / "x.3.12.stdout").read_text() == "new\n"
    for minor, result in [("3.11", old), ("3.12", new), ("3.13", new), ("3.14", new)]:
        assert expected.problems(snippet, result, minor, root=tmp_path) == [], minor
    (drift,) = expected.problems(snippet, old, "3.13", root=tmp_path)
    assert "stdout of CPython 3.13 no longer matches x.3.12.stdout" in drift
    # 3.12 goes back to the old behaviour, 3.13 keeps the new one.
    expected.update(snippet, {"3.11": old, "3.12": old, "3.13": new})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.3.13.stdout", "x.py", "x.stdout"]


def test_the_cache_key_covers_code_options_and_interpreter():
    here = interpreters.find(THIS_PYTHON)
    other = dataclasses.replace(here, path="/elsewhere/python", version=here.version + "1")
    job = results.Job("print(1)", "a.py", checks.RunOptions(), here)
    changed = [
        dataclasses.replace(job, code="print(2)"),
        dataclasses.replace(job, name="b.py"),
        dataclasses.replace(job, options=checks.RunOptions(timeout=5)),
        dataclasses.replace(job, interpreter=other),
    ]
    assert len({job.key, *(c.key for c in changed)}) == 5
    # Options that do not change the run (a declared exit code) share the result.
    assert dataclasses.replace(job, options=checks.RunOptions(returncode=1)).key == job.key


# -- whole builds --------------------------------------------------------------


def test_a_good_post_shows_source_and_real_output(mini_site):
    mini_site.snippet("demo/hello.py", "print('hello', 6 * 7)\n", stdout="hello 42\n")
    mini_site.post("demo", fence("hello"))
    build = mini_site.build()
    assert build.returncode == 0, build.log
    page = build.page("demo")
    assert "hello 42" in page and "Output · CPython" in page and "print" in page


def test_each_block_runs_once_per_build_however_often_it_renders(mini_site, tmp_path):
    counter = tmp_path / "runs"
    code = f"open({str(counter)!r}, 'a').write('run\\n')\nprint('counted')\n"
    mini_site.snippet("demo/count.py", code, stdout="counted\n")
    # The same block three times on the page: the text is identical, the run is shared.
    mini_site.post("demo", fence("count") * 3)
    build = mini_site.build()
    assert build.returncode == 0, build.log
    assert counter.read_text() == "run\n"


def test_timeout_fails_the_build_naming_post_snippet_and_limit(mini_site):
    mini_site.snippet("demo/slow.py", "import time\ntime.sleep(60)\n", stdout="")
    mini_site.post("demo", fence("slow", 'timeout="1"'))
    build = mini_site.build()
    assert build.returncode == 1
    assert "docs/blog/posts/demo.md: snippet snippets/demo/slow.py" in build.log
    assert "timed out after 1 s" in build.log


def test_declared_hang_shows_output_and_when_it_was_stopped(mini_site):
    code = "import time\nprint('waiting for a lock that is never released')\ntime.sleep(60)\n"
    mini_site.snippet("demo/stuck.py", code, stdout="waiting for a lock that is never released\n")
    mini_site.post("demo", fence("stuck", 'hangs="true" timeout="1"'))
    build = mini_site.build()
    assert build.returncode == 0, build.log
    page = build.page("demo")
    assert "waiting for a lock that is never released" in page
    assert "the build stopped it after 1 seconds" in page


def test_declared_hang_that_finishes_fails(mini_site):
    mini_site.snippet("demo/quick.py", "print('done')\n", stdout="done\n")
    mini_site.post("demo", fence("quick", 'hangs="true" timeout="5"'))
    build = mini_site.build()
    assert build.returncode == 1
    assert "snippets/demo/quick.py" in build.log and 'declared hangs="true"' in build.log


def test_undeclared_exit_code_fails_with_stderr_tail(mini_site):
    mini_site.snippet("demo/crash.py", "raise ValueError('no such widget')\n", stdout="")
    mini_site.post("demo", fence("crash"))
    build = mini_site.build()
    assert build.returncode == 1
    assert "snippets/demo/crash.py" in build.log and "exited with code 1" in build.log
    assert "ValueError: no such widget" in build.log


def test_declared_exit_code_passes_and_stderr_is_shown(mini_site):
    mini_site.snippet(
        "demo/crash.py",
        "raise ValueError('no such widget')\n",
        stdout="",
        stderr="Traceback (most recent call last):\n...\nValueError: no such widget\n",
    )
    mini_site.post("demo", fence("crash", 'returncode="1"'))
    build = mini_site.build()
    assert build.returncode == 0, build.log
    page = build.page("demo")
    assert "stderr · CPython" in page and "ValueError: no such widget" in page
    assert "exit status 1" in page


def test_output_drift_fails_with_a_diff(mini_site):
    mini_site.snippet("demo/drift.py", "print('new')\n", stdout="old\n")
    mini_site.post("demo", fence("drift"))
    build = mini_site.build()
    assert build.returncode == 1
    assert "snippets/demo/drift.stdout (expected)" in build.log
    assert "-old" in build.log and "+new" in build.log
    assert "--update-examples" in build.log


def test_missing_expected_output_fails(mini_site):
    mini_site.snippet("demo/new.py", "print(1)\n")
    mini_site.post("demo", fence("new"))
    build = mini_site.build()
    assert build.returncode == 1
    assert "snippets/demo/new.stdout is missing" in build.log


def test_missing_snippet_fails_naming_the_file(mini_site):
    mini_site.post("demo", fence("nowhere"))
    build = mini_site.build()
    assert build.returncode == 1
    assert "demo/nowhere.py" in build.log


def test_inline_executed_code_fails_with_instructions(mini_site):
    mini_site.post("demo", '```python exec="on"\nprint("typed inline")\n```\n')
    build = mini_site.build()
    assert build.returncode == 1
    assert "must include one whole snippet file" in build.log
    assert 'print("typed inline")' in build.log


def test_spawn_at_build_time(mini_site):
    code = (
        "import multiprocessing as mp\n\n\n"
        "def double(x):\n    return 2 * x\n\n\n"
        "if __name__ == '__main__':\n"
        "    mp.set_start_method('spawn')\n"
        "    with mp.Pool(2) as pool:\n"
        "        print(pool.map(double, [1, 2]))\n"
    )
    mini_site.snippet("demo/spawned.py", code, stdout="[2, 4]\n")
    # A second block setting a start method cannot clash: each is its own interpreter.
    mini_site.snippet("demo/again.py", code.replace("[1, 2]", "[3]"), stdout="[6]\n")
    mini_site.post("demo", fence("spawned") + fence("again"))
    build = mini_site.build()
    assert build.returncode == 0, build.log
    assert "[2, 4]" in build.page("demo") and "[6]" in build.page("demo")


def test_alive_helper_tells_live_from_dead():
    # The process tests above rely on it.
    assert _alive(os.getpid())
    assert not _alive(2**22 + 1)


# -- caching, parallel runs, every interpreter -----------------------------------

COUNTING = "open({path!r}, 'a').write('run\\n')\nprint('counted')\n"


def test_cache_reruns_only_what_changed(mini_site, tmp_path):
    counter = tmp_path / "runs"
    mini_site.snippet("demo/count.py", COUNTING.format(path=str(counter)), stdout="counted\n")
    post = mini_site.post("demo", fence("count"))
    assert mini_site.build().returncode == 0
    assert mini_site.build().returncode == 0
    assert counter.read_text() == "run\n", "an unchanged snippet ran again"
    post.write_text(post.read_text() + "\nSome more prose.\n")
    assert mini_site.build().returncode == 0
    assert counter.read_text() == "run\n", "a prose edit re-ran a snippet"
    post.write_text(fence("count", 'timeout="30"'))
    assert mini_site.build().returncode == 0
    assert counter.read_text() == "run\n" * 2, "a changed option did not re-run"
    (mini_site.root / "snippets/demo/count.py").write_text(
        COUNTING.format(path=str(counter)) + "# edited\n"
    )
    assert mini_site.build().returncode == 0
    assert counter.read_text() == "run\n" * 3, "a changed snippet did not re-run"
    assert mini_site.build(env={"SNIPPET_CACHE": "off"}).returncode == 0
    assert counter.read_text() == "run\n" * 4, "SNIPPET_CACHE=off did not re-run"


def test_blocks_run_in_parallel_before_rendering(mini_site, tmp_path):
    code = (
        "import time\n"
        "open({path!r}, 'a').write(f'start {{time.time()}}\\n')\n"
        "time.sleep(1.5)\n"
        "open({path!r}, 'a').write(f'end {{time.time()}}\\n')\n"
    )
    for name in ("a", "b"):
        mini_site.snippet(f"demo/{name}.py", code.format(path=str(tmp_path / name)), stdout="")
    mini_site.post("demo", fence("a") + fence("b"))
    assert mini_site.build(env={"SNIPPET_JOBS": "2"}).returncode == 0
    times = {
        n: dict(line.split() for line in (tmp_path / n).read_text().splitlines()) for n in "ab"
    }
    # Each started before the other ended: they overlapped.
    assert float(times["a"]["start"]) < float(times["b"]["end"])
    assert float(times["b"]["start"]) < float(times["a"]["end"])


OTHER_PYTHON = next(
    (m for m in ("3.12", "3.13", "3.10", "3.9") if m != THIS_PYTHON and interpreters.find(m)), None
)
needs_two = pytest.mark.skipif(OTHER_PYTHON is None, reason="needs a second CPython installed")


@needs_two
def test_same_output_everywhere_is_shown_once_with_a_range(mini_site):
    mini_site.snippet("demo/same.py", "print('same')\n", stdout="same\n")
    mini_site.post("demo", fence("same"))
    build = mini_site.build(pythons=f"{THIS_PYTHON} {OTHER_PYTHON}")
    assert build.returncode == 0, build.log
    low, high = sorted([THIS_PYTHON, OTHER_PYTHON], key=lambda m: int(m.split(".")[1]))
    page = build.page("demo")
    assert page.count("Output · CPython") == 1
    assert f"CPython {low}" in page and f"{high} · Linux" in page


@needs_two
def test_outputs_that_differ_get_a_tab_per_version(mini_site):
    code = "import sys\nprint('minor', sys.version_info[1])\n"
    mini_site.snippet("demo/which.py", code, stdout="minor ...\n")
    mini_site.post("demo", fence("which"))
    build = mini_site.build(pythons=f"{THIS_PYTHON} {OTHER_PYTHON}")
    assert build.returncode == 0, build.log
    page = build.page("demo")
    for minor in (THIS_PYTHON, OTHER_PYTHON):
        assert f"CPython {minor}</label>" in page
        assert f"minor {minor.split('.')[1]}" in page


@needs_two
def test_a_block_can_be_restricted_to_some_versions(mini_site):
    newer = max([THIS_PYTHON, OTHER_PYTHON], key=lambda m: int(m.split(".")[1]))
    mini_site.snippet(
        "demo/new.py", "import sys\nprint(sys.version_info[:2])\n", stdout="(3, ...)\n"
    )
    spec = f'versions=">={newer}" reason="the feature arrived in {newer}"'
    mini_site.post("demo", fence("new", spec))
    build = mini_site.build(pythons=f"{THIS_PYTHON} {OTHER_PYTHON}")
    assert build.returncode == 0, build.log
    page = build.page("demo")
    assert f"Runs on CPython &gt;={newer} only: the feature arrived in {newer}" in page
    assert page.count("Output · CPython") == 1 and f"CPython {newer}." in page


def test_missing_interpreter_is_one_line_locally_and_an_error_when_required(mini_site):
    mini_site.snippet("demo/hello.py", "print('hi')\n", stdout="hi\n")
    mini_site.post("demo", fence("hello"))
    build = mini_site.build(pythons=f"{THIS_PYTHON} 3.99")
    assert build.returncode == 0, build.log
    assert build.log.count("CPython 3.99 not found") == 1
    build = mini_site.build(pythons=f"{THIS_PYTHON} 3.99", env={"SNIPPET_PYTHONS_REQUIRED": "1"})
    assert build.returncode == 1
    assert "CPython 3.99 not found" in build.log and "SNIPPET_PYTHONS_REQUIRED" in build.log
