"""Benchmark the site build four ways in one run and print ratios.

Run with `make bench`. Every figure comes from this run on this machine (the
best of three where a build can be repeated), so the ratios compare like with
like even on a noisy machine:

1. baseline: execution disabled (SNIPPET_EXECUTE=off);
2. cold: every snippet runs, under every interpreter found, with an empty cache;
3. warm: the same build again, every result from the cache;
4. prose edit: like a `mkdocs serve` reload, a second build in the same
   process after a prose-only edit of a post.

The build runs in a temporary copy of the project, so nothing here changes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from snippet_runner.workspace import copy_project

RELOAD = """
import sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

def once():
    config = load_config("mkdocs.yml", site_dir=sys.argv[1])
    config.plugins.on_startup(command="serve", dirty=False)
    start = time.perf_counter()
    build(config, serve_url="http://127.0.0.1:8000/")
    return time.perf_counter() - start

once()
post = Path(sys.argv[2])
post.write_text(post.read_text() + "\\nOne more sentence of prose.\\n")
print(once())
"""


def timed(cmd: list[str], cwd: Path, env: dict[str, str], repeat: int = 3) -> float:
    """The best of ``repeat`` wall-clock times: the least disturbed by other load."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp, "project")
        copy_project(work)
        cache = Path(tmp, "cache")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SNIPPET_CACHE_DIR": str(cache)}
        build = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(Path(tmp, "site"))]

        baseline = timed(build, work, {**env, "SNIPPET_EXECUTE": "off"})
        cold = timed(build, work, env, repeat=1)  # only the first build is cold
        runs = [json.loads(p.read_text()) for p in cache.glob("*/*.json")]
        slowest = max(run["seconds"] for run in runs)
        total = sum(run["seconds"] for run in runs)
        warm = timed(build, work, env)
        post = next(work.glob("docs/blog/posts/*.md"))
        reload = min(
            float(
                subprocess.run(
                    [sys.executable, "-c", RELOAD, str(Path(tmp, "site")), str(post)],
                    cwd=work,
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout.split()[-1]
            )
            for _ in range(3)
        )

    jobs = os.environ.get("SNIPPET_JOBS") or os.cpu_count()
    print(f"{len(runs)} snippet runs, {os.cpu_count()} CPUs, up to {jobs} at once")
    print(f"  baseline (execution off)      {baseline:7.2f} s")
    print(f"  cold cache                    {cold:7.2f} s")
    print(f"    slowest snippet run         {slowest:7.2f} s")
    print(f"    all snippet runs, summed    {total:7.2f} s")
    print(f"  warm cache                    {warm:7.2f} s")
    print(f"  prose edit, in-process reload {reload:7.2f} s")
    print("ratios (target):")
    print(f"  warm / baseline                        {warm / baseline:5.2f}  (<= 1.15)")
    print(f"  cold / (baseline + slowest snippet)    {cold / (baseline + slowest):5.2f}  (<= 1.3)")
    summed = cold / (baseline + total)
    print(f"  cold / (baseline + all runs summed)    {summed:5.2f}  (1 = sequential)")
    print(f"  prose-edit reload                      {reload:5.2f} s (< 1 s)")


if __name__ == "__main__":
    main()
