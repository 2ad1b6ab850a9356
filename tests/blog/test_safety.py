"""A build that is stopped, or run twice at once, leaves nothing behind: no process, no
temporary folder, no half-written site. Processes are found by scanning /proc."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from ..conftest import THIS_PYTHON

FENCE = '```python exec="on"\n--8<-- "demo/{name}.py"\n```\n\n'


def _processes_running(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def _env(mini_site, tmp: Path) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "NO_MKDOCS_2_WARNING": "1",
        "SNIPPET_PYTHONS": THIS_PYTHON,
        "SNIPPET_CACHE_DIR": str(mini_site.root / "cache"),
        "TMPDIR": str(tmp),  # the runs' private folders go here, so leftovers are visible
    }


def test_sigterm_mid_build_kills_every_run_and_leaves_no_folder(mini_site, tmp_path):
    marker = f"sleeper_{uuid.uuid4().hex[:8]}"
    code = "import time\nfrom multiprocessing import Pool\n\nif __name__ == '__main__':\n"
    code += "    with Pool(2) as pool:\n        pool.map(time.sleep, [60, 60])\n"
    mini_site.snippet(f"demo/{marker}.py", code, stdout="")
    mini_site.post("demo", FENCE.format(name=marker))
    runs = tmp_path / "runs"
    runs.mkdir()
    build = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=mini_site.root,
        env=_env(mini_site, runs),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while not _processes_running(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_running(marker), "the snippet never started"
    build.send_signal(signal.SIGTERM)
    stopped = time.monotonic()
    build.wait(timeout=10)
    assert time.monotonic() - stopped < 2, "the build took more than 2 s to stop"
    assert build.returncode != 0
    time.sleep(0.2)
    assert _processes_running(marker) == [], "a run survived the build"
    assert list(runs.iterdir()) == [], "a run's temporary folder was left behind"


def _build_site_command(root: Path) -> list[str]:
    """`make build`'s command (a strict build into a private folder, then moved into place)."""
    return [sys.executable, "-m", "snippet_runner.devtools.build_site", "--root", str(root)]


def test_two_builds_at_once_both_finish_with_a_whole_site(mini_site, tmp_path):
    mini_site.snippet("demo/hello.py", "print('hello')\n", stdout="hello\n")
    mini_site.post("demo", FENCE.format(name="hello"))
    command = _build_site_command(mini_site.root)
    env = _env(mini_site, tmp_path)
    builds = [subprocess.Popen(command, env=env, stderr=subprocess.PIPE) for _ in range(2)]
    for build in builds:
        assert build.wait(timeout=120) == 0, build.stderr.read().decode()
    site = mini_site.root / "site"
    assert "hello" in (site / "blog/posts/demo/index.html").read_text()
    assert (site / "index.html").is_file()
    leftovers = [
        p.name
        for p in mini_site.root.iterdir()
        if p.name.startswith(".site.") and p.name != ".site.lock"
    ]
    assert leftovers == [], leftovers


def test_a_failed_build_leaves_the_old_site_untouched(mini_site, tmp_path):
    mini_site.snippet("demo/hello.py", "print('hello')\n", stdout="hello\n")
    mini_site.post("demo", FENCE.format(name="hello"))
    command = _build_site_command(mini_site.root)
    env = _env(mini_site, tmp_path)
    assert subprocess.run(command, env=env, capture_output=True).returncode == 0
    page = mini_site.root / "site/blog/posts/demo/index.html"
    before = page.read_text()
    (mini_site.root / "snippets/demo/hello.py").write_text("print('changed')\n")
    failed = subprocess.run(command, env=env, capture_output=True, text=True)
    assert failed.returncode == 1 and "is unchanged" in failed.stderr
    assert page.read_text() == before
