"""Mutation-test the executor (``make mutation``): mutmut 3 over snippet_runner/executor/.

Only the fast unit tests in tests/executor/ judge the mutants (mutmut's settings
are the ``[tool.mutmut]`` table of pyproject.toml). The run prints one line per
module: mutants, killed, survived, timeout, no tests, other, and the score
(killed + timeout, over all mutants).

Safety. The process tests kill whole process trees with SIGKILL, and a mutant of
process.py can aim that kill anywhere (``kill(-1)`` as root takes the machine
down). So mutmut always runs

* inside a private PID namespace with its own /proc
  (``unshare --pid --fork --mount-proc --kill-child``), as its PID 1: a stray
  kill reaches only the processes of the mutation run, cannot reach mutmut
  itself, and everything in the namespace dies when mutmut exits or this
  script is stopped;
* on a throwaway copy of the repository (the files ``git ls-files --cached
  --others --exclude-standard`` lists) in a new ``mkdtemp`` folder under
  /var/tmp, with a HOME of its own, and with a new ``mkdtemp`` TMPDIR under
  /tmp. Those two folders, made by this run, and nothing else, are removed at
  the end (``--keep`` leaves the copy, to look at mutants with ``mutmut show``).

Usage::

    python scripts/mutation.py [-j N] [--keep] [--show] [MODULE ...]

MODULE (e.g. ``cache``) restricts the run to those modules of the executor.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "snippet_runner/executor"
MODULES = sorted(p.stem for p in (REPO / PACKAGE).glob("*.py") if p.stem != "__init__")

#: mutmut's exit codes of a mutant run, as its ``status_by_exit_code`` reads them.
KILLED, SURVIVED, TIMEOUT, NO_TESTS = "killed", "survived", "timeout", "no tests"


def status_of(exit_code: int | None) -> str:
    from mutmut.stats import status_by_exit_code

    status = status_by_exit_code[exit_code]
    # pytest's exit code 2 ("interrupted"): inside the namespace nobody presses
    # Ctrl-C, so it is the mutant (of the signal handlers) that interrupted the
    # tests: detected, like a kill.
    return KILLED if status == "check was interrupted by user" else status


def copy_repository(target: Path) -> int:
    """Copy the files git knows of (tracked, or new and not ignored) into ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.decode()
    copied = 0
    for name in sorted(set(filter(None, listed.split("\0")))):
        source = REPO / name
        if not source.is_symlink() and not source.is_file():
            continue  # deleted in the working tree, or a submodule
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination, follow_symlinks=False)
        copied += 1
    return copied


def namespace_prefix() -> list[str]:
    """The command that runs what follows in a PID namespace of its own."""
    unshare = shutil.which("unshare")
    if unshare is None:
        sys.exit("mutation: `unshare` (util-linux) is needed to run mutants in a PID namespace")
    prefix = [unshare, "--pid", "--fork", "--mount-proc", "--kill-child"]
    if os.geteuid() != 0:
        prefix.insert(1, "--map-root-user")
    probe = subprocess.run([*prefix, "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        sys.exit(
            "mutation: cannot make a PID namespace here, and mutants must not run without one: "
            + probe.stderr.strip()
        )
    return prefix


#: Starts mutmut's command line (like the `mutmut` entry point; not `python -m
#: mutmut`, which mutmut warns about: its __main__ would be imported twice).
#:
#: It runs as PID 1 of the namespace, which the kernel shields: no process of
#: the namespace can kill it, not even with kill(-1, SIGKILL) as root, which
#: is what a mutant of process.py can do (one took mutmut down halfway through
#: a run while mutmut was an ordinary process of the namespace). Two patches,
#: for the versions installed here:
#:
#: * As PID 1 it inherits every orphan of the tests' process trees, and its
#:   fork runner collects workers with os.wait(), which would return those too
#:   (mutmut 3.8 then stops with a KeyError). Its ``isolation`` module gets an
#:   ``os`` whose wait() returns only the children that module forked.
#: * pytest 9 dropped ``Node._nodeid``, which mutmut 3.8 still reads when it
#:   records which tests reach which function (pytest-benchmark#321 is the
#:   same break); it is the public ``nodeid``.
BOOT = """\
import os, sys, types
import _pytest.nodes
from mutmut.workers import isolation

if not hasattr(_pytest.nodes.Node, "_nodeid"):
    _pytest.nodes.Node._nodeid = property(lambda node: node.nodeid)

forked = set()

def fork():
    pid = os.fork()
    if pid:
        forked.add(pid)
    return pid

def wait():
    while True:
        pid, status = os.wait()
        if pid in forked:
            forked.discard(pid)
            return pid, status

isolation.os = types.SimpleNamespace(**{**vars(os), "fork": fork, "wait": wait})

from mutmut.__main__ import cli
sys.argv[0] = "mutmut"
cli()
"""


def mutmut_command(prefix: list[str], args: list[str]) -> list[str]:
    return [*prefix, sys.executable, "-c", BOOT, *args]


def environment(home: Path, tmp: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        # Nothing of the real checkout may leak into the copy's imports.
        if key not in {"PYTHONPATH", "PYTHONHOME", "COVERAGE_PROCESS_START", "MUTANT_UNDER_TEST"}
        and not key.startswith("SNIPPET_")
    }
    env.update(HOME=str(home), TMPDIR=str(tmp), PYTHONDONTWRITEBYTECODE="1")
    return env


def copy_parent() -> str:
    """Where the copy goes: not under /tmp, which the sandbox hides behind a tmpfs.

    The sandbox tests check that a script cannot write next to the test files;
    a copy under /tmp would put those files in the sandbox's own writable /tmp.
    """
    for folder in ("/var/tmp", str(REPO / ".cache")):
        if Path(folder).is_dir() and os.access(folder, os.W_OK):
            return folder
    sys.exit("mutation: need a writable /var/tmp or .cache folder for the throwaway copy")


def read_results(copy: Path, modules: list[str]) -> dict[str, Counter]:
    """Counts of each status per module, from mutmut's ``.meta`` files."""
    counts: dict[str, Counter] = {}
    for module in modules:
        meta = copy / "mutants" / PACKAGE / f"{module}.py.meta"
        codes = json.loads(meta.read_text())["exit_code_by_key"] if meta.is_file() else {}
        counts[module] = Counter(status_of(code) for code in codes.values())
    return counts


def survivors(copy: Path, modules: list[str]) -> list[tuple[str, str]]:
    found = []
    for module in modules:
        meta = copy / "mutants" / PACKAGE / f"{module}.py.meta"
        if meta.is_file():
            for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
                if status_of(code) not in {KILLED, TIMEOUT}:
                    found.append((name, status_of(code)))
    return sorted(found)


def table(counts: dict[str, Counter]) -> str:
    head = (
        f"{'module':<14}{'mutants':>8}{'killed':>8}{'survived':>9}{'timeout':>8}"
        f"{'no tests':>9}{'other':>7}{'score':>8}"
    )
    lines = [head, "-" * len(head)]
    total: Counter = Counter()
    for module, count in [*counts.items(), ("TOTAL", None)]:
        if count is None:
            count = total
        else:
            total.update(count)
        mutants = sum(count.values())
        other = mutants - count[KILLED] - count[SURVIVED] - count[TIMEOUT] - count[NO_TESTS]
        score = 100 * (count[KILLED] + count[TIMEOUT]) / mutants if mutants else 100.0
        if module == "TOTAL":
            lines.append("-" * len(head))
        lines.append(
            f"{module:<14}{mutants:>8}{count[KILLED]:>8}{count[SURVIVED]:>9}{count[TIMEOUT]:>8}"
            f"{count[NO_TESTS]:>9}{other:>7}{score:>7.1f}%"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    parser.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1, help="mutants at once"
    )
    parser.add_argument("--keep", action="store_true", help="keep the throwaway copy")
    parser.add_argument("--show", action="store_true", help="print the diff of every survivor")
    options = parser.parse_args()
    unknown = sorted(set(options.modules) - set(MODULES))
    if unknown:
        parser.error(f"not a module of the executor: {', '.join(unknown)}")
    modules = options.modules or MODULES

    prefix = namespace_prefix()
    started = time.monotonic()
    # Two folders made for this run, and removed at its end: the copy (with a
    # HOME of its own), and a short TMPDIR under /tmp for the tests' tmp_path
    # (the sandbox hides /tmp, as the tests expect; short, as Unix socket paths
    # of multiprocessing must be).
    work = Path(tempfile.mkdtemp(prefix="snippet-mutation-", dir=copy_parent()))
    tmp = Path(tempfile.mkdtemp(prefix="mut", dir="/tmp"))
    try:
        copy = work / "repo"
        copy.mkdir()
        (work / "home").mkdir()
        files = copy_repository(copy)
        env = environment(work / "home", tmp)
        print(
            f"mutation: {files} files copied to {copy}; mutmut runs in a PID namespace", flush=True
        )
        names = [f"{PACKAGE.replace('/', '.')}.{m}.*" for m in options.modules]
        run = subprocess.run(
            mutmut_command(prefix, ["run", "--max-children", str(options.jobs), *names]),
            cwd=copy,
            env=env,
        )
        if run.returncode != 0:
            print(f"mutation: mutmut exited with {run.returncode}", file=sys.stderr)
        counts = read_results(copy, modules)
        left = survivors(copy, modules)
        print()
        print(table(counts))
        print()
        print(f"{len(left)} mutants not killed:")
        for name, status in left:
            print(f"  {name}  ({status})")
            if options.show:
                shown = subprocess.run(
                    mutmut_command(prefix, ["show", name]),
                    cwd=copy,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                print("    " + shown.stdout.replace("\n", "\n    "))
        print(f"\nmutation: {time.monotonic() - started:.0f} s in all")
        if options.keep:
            print(f"mutation: the copy is kept in {copy} (`cd {copy} && mutmut show NAME`)")
        return run.returncode
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # made by mkdtemp above, in this run
        if not options.keep:
            shutil.rmtree(work)  # made by mkdtemp above, in this run


if __name__ == "__main__":
    sys.exit(main())
