"""Whole builds of small throwaway sites: each rule of the build fails `mkdocs build
--strict` with a message naming the post and the snippet, or shows the right page."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from snippet_runner.executor.interpreters import discover

from ..conftest import THIS_PYTHON

FENCE = '```python exec="on" source="above" {options}\n--8<-- "demo/{name}.py"\n```\n'


# The tests that count runs through a file on the host need the host writable.
NO_SANDBOX = {"SNIPPET_SANDBOX": "off"}


def fence(name: str, options: str = "") -> str:
    return FENCE.format(name=name, options=options)


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
    build = mini_site.build(env=NO_SANDBOX)
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
    assert (
        '<span class="snippet-stream-name">stderr</span>' in page
        and "ValueError: no such widget" in page
    )
    assert "exit status 1" in page


def test_output_drift_fails_with_a_diff(mini_site):
    mini_site.snippet("demo/drift.py", "print('new')\n", stdout="old\n")
    mini_site.post("demo", fence("drift"))
    build = mini_site.build()
    assert build.returncode == 1
    assert "snippets/demo/drift.stdout (expected)" in build.log
    assert "-old" in build.log and "+new" in build.log
    assert "make update-examples SLUG=demo" in build.log


def test_missing_expected_output_fails(mini_site):
    mini_site.snippet("demo/new.py", "print(1)\n")
    mini_site.post("demo", fence("new"))
    build = mini_site.build()
    assert build.returncode == 1
    assert "snippets/demo/new.stdout" in build.log


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


# -- caching, parallel runs, every interpreter -----------------------------------

COUNTING = "open({path!r}, 'a').write('run\\n')\nprint('counted')\n"


def test_cache_reruns_only_what_changed(mini_site, tmp_path):
    counter = tmp_path / "runs"
    mini_site.default_env = NO_SANDBOX
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
    assert mini_site.build(env={"SNIPPET_CACHE": "off", **NO_SANDBOX}).returncode == 0
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
    assert mini_site.build(env={"SNIPPET_JOBS": "2", **NO_SANDBOX}).returncode == 0
    times = {
        n: dict(line.split() for line in (tmp_path / n).read_text().splitlines()) for n in "ab"
    }
    # Each started before the other ended: they overlapped.
    assert float(times["a"]["start"]) < float(times["b"]["end"])
    assert float(times["b"]["start"]) < float(times["a"]["end"])


def _found(minor: str) -> bool:
    found, _ = discover(
        [minor],
        rootfs=None,
        pyenv_root=Path.home() / ".pyenv",
        path_env=os.environ["PATH"],
        memo_file=None,
    )
    return bool(found)


OTHER_PYTHON = next((m for m in ("3.12", "3.10", "3.13") if m != THIS_PYTHON and _found(m)), None)
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
    # The exact patch releases that printed it, as a range.
    assert re.search(rf"Output · CPython {low}\.\d+–{high}\.\d+ · Linux \w+ · exit status 0", page)


@needs_two
def test_outputs_that_differ_get_a_tab_per_version(mini_site):
    # A real behaviour change: each version satisfies an expected file of its own.
    low, high = sorted([THIS_PYTHON, OTHER_PYTHON], key=lambda m: int(m.split(".")[1]))
    code = "import sys\nprint('minor', sys.version_info[1])\n"
    snippet = mini_site.snippet("demo/which.py", code, stdout=f"minor {low.split('.')[1]}\n")
    snippet.with_name(f"which.{high}.stdout").write_text(f"minor {high.split('.')[1]}\n")
    mini_site.post("demo", fence("which"))
    build = mini_site.build(pythons=f"{THIS_PYTHON} {OTHER_PYTHON}")
    assert build.returncode == 0, build.log
    page = build.page("demo")
    for minor in (THIS_PYTHON, OTHER_PYTHON):
        assert re.search(rf"CPython (?:</span>)?{re.escape(minor)}\.\d+</label>", page)
        assert f"minor {minor.split('.')[1]}" in page


@needs_two
def test_outputs_that_differ_only_where_the_expected_file_allows_share_one_frame(mini_site):
    code = "import sys\nprint('minor', sys.version_info[1])\n"
    mini_site.snippet("demo/which.py", code, stdout="minor ...\n")
    mini_site.post("demo", fence("which"))
    build = mini_site.build(pythons=f"{THIS_PYTHON} {OTHER_PYTHON}")
    assert build.returncode == 0, build.log
    page = build.page("demo")
    assert "</label>" not in page.split('class="snippet-result"')[1]
    assert re.search(r"printed by 3\.\d+\.\d+; the parts that vary from run to run may", page)


@needs_two
@pytest.mark.parametrize(("stdout", "said"), [("s...e\n", True), ("same\n", False)])
def test_the_label_says_printed_by_whenever_the_expected_file_lets_outputs_vary(
    mini_site, stdout, said
):
    # Both versions print the same text this time; with a wildcard they might not, so
    # the label names the version shown all the same: it must not change between builds.
    mini_site.snippet("demo/same.py", "print('same')\n", stdout=stdout)
    mini_site.post("demo", fence("same"))
    build = mini_site.build(pythons=f"{THIS_PYTHON} {OTHER_PYTHON}")
    assert build.returncode == 0, build.log
    assert ("printed by 3." in build.page("demo")) is said


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
    assert build.log.count("3.99: not found") == 1
    build = mini_site.build(pythons=f"{THIS_PYTHON} 3.99", env={"SNIPPET_PYTHONS_REQUIRED": "1"})
    assert build.returncode == 1
    assert "3.99: not found" in build.log and "SNIPPET_PYTHONS_REQUIRED" in build.log
