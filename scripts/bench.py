"""Benchmark the site build against its physical limit, in one run, and print every ratio.

Run with `make bench` (or `python scripts/bench.py`). Everything happens in a
temporary copy of the project with a cache folder of its own
(SNIPPET_CACHE_DIR), so nothing of the working tree or its cache is touched.

1. baseline: `mkdocs build --strict` with SNIPPET_EXECUTE=off (the best of
   three at the start and three more taken in turns with the warm builds, so that
   a change of load on the machine does not skew warm / baseline);
2. cold, first build: every run, nothing cached and no durations recorded;
3. cold, durations known: the results removed, the durations record of (2)
   kept (as after a change to process.py): the longest runs start first;
4. warm: every result cached (best of three, in turns with the baseline);
5. the limit: baseline + max(slowest run, CPU seconds of all runs / CPUs),
   from the runs of (3) (their ``cpu_seconds``: user + system of the whole
   run, every process included);
6. prose edit: `mkdocs serve` and `zensical serve`, each a few times, timed
   from the write of a new sentence into a post until the page served over
   HTTP contains it;
7. snippet edit: the same for a comment appended to one snippet, with the
   number of runs it caused (only that snippet's) and its target, its slowest
   run + 1 s.

`--growth` instead builds the site with 10, 50 and 200 more posts (copies of
the published posts and their snippets under new slugs, whose runs the cold
build of the original site already cached) and prints the warm build time and
the peak memory (ru_maxrss of the build) per post count.

While it runs, the machine's CPU use is sampled (/proc/stat): other load
on the machine is printed, since it changes every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from snippet_runner.devtools.workspace import copy_project
from snippet_runner.executor.schedule import usable_cpus

REPEAT = 3  # best of: the least disturbed by other load
SERVE_EDITS = 3  # edits timed per server
SERVE_START_TIMEOUT = 600  # seconds for a server's first build (runs drafts' snippets)
EDIT_TIMEOUT = 120  # seconds for an edit to show
#: Strict builds that failed on an example's output (the first warning of each).
FAILURES: list[str] = []


# -- measuring -----------------------------------------------------------------------


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) ticks of all CPUs so far, from /proc/stat."""
    fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


@dataclass
class Timed:
    seconds: float  # wall clock
    cpu: float  # user + system of the build and everything it waited for (its runs)
    maxrss_mb: float  # peak resident memory of the build process (or a waited-for child)
    machine_busy: float  # CPU-seconds the whole machine was busy meanwhile
    log: str


def run_build(cmd: list[str], cwd: Path, env: dict[str, str]) -> Timed:
    """Run one build to completion; fail loudly with its log if it fails."""
    with tempfile.TemporaryFile() as out:
        busy0, _ = cpu_ticks()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        busy1, _ = cpu_ticks()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        log = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        if "in strict mode" not in log:
            sys.exit(f"build failed ({' '.join(cmd)}):\n{log[-6000:]}")
        # Every page was built, but an example's output did not match (an example
        # that varies under load): its time counts; the failure is reported at the end.
        warning = next((line for line in log.splitlines() if line.startswith("WARNING")), "")
        FAILURES.append(f"{warning[:160]} (ran {ran(log)} runs)")
    return Timed(
        seconds=seconds,
        cpu=usage.ru_utime + usage.ru_stime,
        maxrss_mb=usage.ru_maxrss / 1024,
        machine_busy=(busy1 - busy0) / os.sysconf("SC_CLK_TCK"),
        log=log,
    )


def seconds(timed: Timed) -> float:
    return timed.seconds


def best(cmd: list[str], cwd: Path, env: dict[str, str], repeat: int = REPEAT) -> Timed:
    return min((run_build(cmd, cwd, env) for _ in range(repeat)), key=seconds)


def results(cache: Path) -> list[dict]:
    """The results stored in a cache folder (runs that kept their promises)."""
    found = []
    for path in cache.glob("*/*.json"):
        with contextlib.suppress(ValueError, KeyError, OSError):
            found.append(json.loads(path.read_text())["result"])
    return found


def ran(log: str) -> int:
    """How many runs a build's log says it made (0 when all were cached)."""
    return sum(int(n) for n in re.findall(r"ran (\d+) of \d+ snippet runs", log))


# -- serving -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_until(url: str, text: str, timeout: float, poll: float = 0.01) -> float | None:
    """Seconds until the page at ``url`` contains ``text``; None after ``timeout``."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        page = fetch(url)  # `mkdocs serve` holds a request while it rebuilds
        if page is not None and text in page:
            return time.perf_counter() - start
        time.sleep(poll)
    return None


@contextlib.contextmanager
def server(kind: str, work: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """`mkdocs serve` or `zensical serve` on a free port; yields its base URL once it serves."""
    port = free_port()
    address = f"127.0.0.1:{port}"
    venv = Path(sys.executable).parent
    cmd = (
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", address]
        if kind == "mkdocs"
        else [str(venv / "zensical"), "serve", "--dev-addr", address]
    )
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            url = f"http://{address}/"
            if wait_until(url, "</html>", SERVE_START_TIMEOUT, poll=0.2) is None:
                sys.exit(f"{kind} serve did not start:\n{log.read_text()[-4000:]}")
            yield url
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def page_url(base: str, site: Path, slug: str) -> str:
    """The served URL of a post, found in a built site (the blog puts the date in it)."""
    (page,) = site.rglob(f"{slug}/index.html")
    return base + page.parent.relative_to(site).as_posix() + "/"


def time_edits(url: str, edit, count: int) -> list[float]:
    """Seconds from each edit (``edit(i)`` writes, returns the text to wait for) to the page
    (inf: not shown within EDIT_TIMEOUT)."""
    times = []
    for i in range(count):
        time.sleep(1.0)  # let the watcher settle after the previous rebuild
        text = edit(i)
        shown = wait_until(url, text, EDIT_TIMEOUT)
        times.append(float("inf") if shown is None else shown)
    return times


def append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as file:
        file.write(text)


# -- the benchmark -------------------------------------------------------------------


def fmt(seconds: float) -> str:
    return f"{seconds:7.2f} s"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main_bench(args: argparse.Namespace) -> None:
    cpus = usable_cpus()
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        work = copy_project(tmp / "project")
        site = tmp / "site"
        base_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        build = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)]

        def env(cache: Path, **more: str) -> dict[str, str]:
            return {**base_env, "SNIPPET_CACHE_DIR": str(cache), **more}

        first, known = tmp / "cache-first", tmp / "cache"
        off = env(first, SNIPPET_EXECUTE="off")
        baselines = [run_build(build, work, off) for _ in range(args.repeat)]
        print(f"baseline (execution off)           {fmt(min(baselines, key=seconds).seconds)}")
        cold_first = run_build(build, work, env(first))
        print(f"cold, first build                  {fmt(cold_first.seconds)}", flush=True)
        known.mkdir()
        shutil.copy2(first / "durations.json", known / "durations.json")
        cold = run_build(build, work, env(known))
        print(f"cold, durations known              {fmt(cold.seconds)}", flush=True)
        runs = results(known)
        slowest = max(r["seconds"] for r in runs)
        wall_sum = sum(r["seconds"] for r in runs)
        cpu_sum = sum(r.get("cpu_seconds", 0.0) for r in runs)
        first_runs = results(first)
        first_cpu = sum(r.get("cpu_seconds", 0.0) for r in first_runs)
        # Warm and baseline builds in turns, so that both see the same load; the best
        # of each (the baseline's over these and the first ones).
        warms = []
        for _ in range(args.repeat):
            warms.append(run_build(build, work, env(known)))
            baselines.append(run_build(build, work, off))
        warm = min(warms, key=seconds)
        baseline = min(baselines, key=seconds)
        print(f"warm                               {fmt(warm.seconds)}", flush=True)
        print(f"baseline, best of {len(baselines)}                {fmt(baseline.seconds)}")
        limit = baseline.seconds + max(slowest, cpu_sum / cpus)
        first_limit = baseline.seconds + max(
            max(r["seconds"] for r in first_runs), first_cpu / cpus
        )

        # -- serve: prose edits and a snippet edit --------------------------------
        post = work / "docs" / "blog" / "posts" / f"{args.post}.md"
        snippet_include = re.search(r'--8<-- "([^"]+\.py)"', post.read_text()).group(1)
        snippet = work / "snippets" / snippet_include
        record = json.loads((known / "durations.json").read_text())["runs"]
        snippet_runs = record.get(snippet_include, {})
        snippet_slowest = max((pair[0] for pair in snippet_runs.values()), default=0.0)
        serve = {}
        for kind in args.servers:
            log = tmp / f"{kind}-serve.log"
            with server(kind, work, env(known), log) as base:
                url = page_url(base, site, args.post)
                wait_until(url, "</html>", SERVE_START_TIMEOUT, poll=0.2)

                def prose(i: int, kind: str = kind) -> str:
                    sentence = f"Bench sentence {kind} {i} {time.time_ns()}."
                    append(post, f"\n\n{sentence}\n")
                    return sentence

                prose_times = time_edits(url, prose, SERVE_EDITS)
                before = len(results(known))

                def code(i: int, kind: str = kind) -> str:
                    comment = f"# bench edit {kind} {i} {time.time_ns()}"
                    append(snippet, f"{comment}\n")
                    return comment

                snippet_times = time_edits(url, code, 1)
                time.sleep(1.0)  # the rest of the rebuild (other pages) ends
                reran = len(results(known)) - before
            serve[kind] = (prose_times, snippet_times, reran)
            print(
                f"{kind} serve: prose edit {', '.join(f'{t:.2f}' for t in prose_times)} s; "
                f"snippet edit {snippet_times[0]:.2f} s ({reran} runs)",
                flush=True,
            )
    load_after = Path("/proc/loadavg").read_text().split()[:3]

    # -- the report ------------------------------------------------------------------
    def row(label: str, value: str) -> None:
        print(f"  {label:<44} {value}")

    def ratio(label: str, value: float, target: str, ok: bool) -> None:
        row(label, f"{value:6.2f}  ({target})  {verdict(ok)}")

    jobs = os.environ.get("SNIPPET_JOBS")
    print()
    print(
        f"{len(runs)} snippet runs cached, {cpus} CPUs, "
        + (f"SNIPPET_JOBS={jobs}" if jobs else "jobs as configured (pyproject.toml)")
        + f"; load average before {' '.join(load_before)}, after {' '.join(load_after)}"
    )
    row("baseline (execution off)", fmt(baseline.seconds))
    row("cold, first build (nothing recorded)", fmt(cold_first.seconds))
    row("cold, durations known (results removed)", fmt(cold.seconds))
    row("  slowest run", fmt(slowest))
    row("  wall time of all runs, summed", fmt(wall_sum))
    row("  CPU time of all runs, summed", fmt(cpu_sum))
    row(f"  CPU time of all runs / {cpus} CPUs", fmt(cpu_sum / cpus))
    row("  limit = baseline + max(slowest, CPU / CPUs)", fmt(limit))
    row(
        "  runs at once on average (wall sum / run phase)",
        f"{wall_sum / max(1e-9, cold.seconds - baseline.seconds):7.2f}",
    )
    row("  CPU of the build and its runs (wait4)", fmt(cold.cpu))
    row("  CPU the whole machine was busy meanwhile", fmt(cold.machine_busy))
    other = max(0.0, cold.machine_busy - cold.cpu)
    row("  of which other processes", fmt(other))
    # What the CPU-bound part of the limit becomes on the CPUs other load left free.
    left = max(0.25, cpus - other / cold.seconds)
    row(f"  CPUs left by other load (of {cpus})", f"{left:7.2f}")
    row(
        "  limit on the CPUs left",
        fmt(baseline.seconds + max(slowest, cpu_sum / left)),
    )
    row("warm", fmt(warm.seconds))
    for kind, (prose_times, snippet_times, reran) in serve.items():
        row(f"{kind} serve: prose edit to page", ", ".join(f"{t:.2f}" for t in prose_times) + " s")
        row(
            f"{kind} serve: snippet edit to page",
            f"{snippet_times[0]:.2f} s, {reran} runs ({snippet_include} has {len(snippet_runs)})",
        )
    row("  runs made by the warm builds (0: all cached)", str(ran(warm.log)))
    for failure in FAILURES:
        print(f"  a strict build FAILED on an example (timed all the same): {failure}")
    print("ratios and targets:")
    ratio(
        "cold / limit, durations known", cold.seconds / limit, "<= 1.3", cold.seconds <= 1.3 * limit
    )
    ratio(
        "cold / limit, first build",
        cold_first.seconds / first_limit,
        "<= 1.3",
        cold_first.seconds <= 1.3 * first_limit,
    )
    ratio(
        "warm / baseline",
        warm.seconds / baseline.seconds,
        "<= 1.1",
        warm.seconds <= 1.1 * baseline.seconds,
    )
    target = snippet_slowest + 1
    for kind, (prose_times, snippet_times, reran) in serve.items():
        worst = max(prose_times)
        row(
            f"{kind} prose edit, worst of {len(prose_times)}",
            f"{worst:6.2f} s  (< 1 s)  {verdict(worst < 1)}",
        )
        only = "yes" if reran == len(snippet_runs) else f"NO ({reran} of {len(snippet_runs)})"
        row(
            f"{kind} snippet edit",
            f"{snippet_times[0]:6.2f} s  (< {target:.2f} s = slowest run + 1)  "
            f"{verdict(snippet_times[0] < target)}; only its runs: {only}",
        )


# -- growth ---------------------------------------------------------------------------


def published_posts(work: Path) -> list[Path]:
    posts = sorted((work / "docs" / "blog" / "posts").glob("*.md"))
    return [p for p in posts if not re.search(r"^draft:\s*true", p.read_text(), re.M)]


def add_posts(work: Path, count: int, start: int) -> None:
    """Copies of the published posts and their snippet folders, under new slugs."""
    sources = published_posts(work)
    for i in range(start, start + count):
        source = sources[i % len(sources)]
        slug = f"{source.stem}-copy-{i:03d}"
        text = source.read_text(encoding="utf-8")
        text = text.replace(f"{source.stem}/", f"{slug}/")  # includes and quotes
        text = re.sub(r"^slug: .*$", f"slug: {slug}", text, count=1, flags=re.M)
        text = re.sub(r"^# (.*)$", rf"# \1 (copy {i})", text, count=1, flags=re.M)
        (source.parent / f"{slug}.md").write_text(text, encoding="utf-8")
        shutil.copytree(work / "snippets" / source.stem, work / "snippets" / slug)


def main_growth(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as tmp:
        tmp = Path(tmp)
        work = copy_project(tmp / "project")
        cache = tmp / "cache"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SNIPPET_CACHE_DIR": str(cache)}
        build = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp / "site")]
        original = len(published_posts(work))
        if args.cache and args.cache.is_dir():  # an earlier build's results: no cold build
            shutil.copytree(args.cache, cache)
        else:
            cold = run_build(build, work, env)
            print(
                f"cold build of the {original} published posts (fills the cache): "
                f"{cold.seconds:.1f} s"
            )
        off = {**env, "SNIPPET_EXECUTE": "off"}
        rows = []
        added = 0
        for count in [0, *args.posts]:
            add_posts(work, count - added, added)
            added = count
            warm = best(build, work, env, args.repeat)
            baseline = best(build, work, off, args.repeat)
            rows.append((count, original + count, warm, baseline, ran(warm.log)))
            print(
                f"  +{count} posts: warm {warm.seconds:.2f} s, {warm.maxrss_mb:.0f} MB; "
                f"execution off {baseline.seconds:.2f} s",
                flush=True,
            )
    print()
    print(
        "| posts added | posts in all | warm build | peak memory (ru_maxrss) "
        "| execution off | warm / off | runs |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for count, total, warm, baseline, runs in rows:
        print(
            f"| {count} | {total} | {warm.seconds:.2f} s | {warm.maxrss_mb:.0f} MB "
            f"| {baseline.seconds:.2f} s | {warm.seconds / baseline.seconds:.2f} | {runs} |"
        )
    print(
        f"\n{usable_cpus()} CPUs; best of {args.repeat} `mkdocs build --strict` each; "
        "runs = snippet runs the warm build made (0: every result came from the cache); "
        "load average " + " ".join(Path("/proc/loadavg").read_text().split()[:3]) + "."
    )


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--growth", action="store_true", help="warm build time and memory per post count"
    )
    parser.add_argument(
        "--posts", type=lambda s: [int(n) for n in s.split(",")], default=[10, 50, 200]
    )
    parser.add_argument(
        "--post", default="caution-with-classes", help="the post edited under serve"
    )
    parser.add_argument("--repeat", type=int, default=REPEAT, help="best of this many builds")
    parser.add_argument(
        "--cache", type=Path, help="--growth: copy this filled cache folder instead of a cold build"
    )
    parser.add_argument(
        "--servers",
        type=lambda s: s.split(","),
        default=["mkdocs", "zensical"],
        help="which `serve` to time (mkdocs,zensical)",
    )
    args = parser.parse_args(argv)
    if args.growth:
        main_growth(args)
    else:
        main_bench(args)


if __name__ == "__main__":
    main(sys.argv[1:])
