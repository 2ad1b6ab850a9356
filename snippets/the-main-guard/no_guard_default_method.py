import os
import re
import signal
import subprocess
import sys
from pathlib import Path

# The script under test: no guard, and the platform's default start method.
NO_GUARD = """\
import multiprocessing

def square(n):
    return n * n

name = multiprocessing.current_process().name
print(f"top-level code runs in {name} as {__name__}")
with multiprocessing.Pool(processes=1) as pool:
    # chunksize given: without it, map divides by the number of workers in the
    # pool's list, which is 0 for a moment whenever this pool has lost them all.
    print(pool.map(square, range(5), chunksize=1))
"""


def first_errors(stderr: str) -> dict:
    """Each type of error in stderr once, with the first sentence of its message."""
    found = {}
    for match in re.finditer(
        r"^(\w+(?:Error|Exception)):(.*(?:\n[ \t]+\S.*)*)", stderr, re.M
    ):
        message = " ".join(match.group(2).split())
        found.setdefault(match.group(1), message.split(". ")[0])
    return found


def first_of_each_kind(lines: list[str]) -> list[str]:
    """The first line of each kind, with how many more there were; lines that
    differ only in a worker's number are one kind."""
    first, count = {}, {}
    for line in lines:
        kind = re.sub(r"Worker-\d+", "Worker-N", line)
        first.setdefault(kind, line)
        count[kind] = count.get(kind, 0) + 1
    return [
        line + (f" (and {count[kind] - 1} more like it)" if count[kind] > 1 else "")
        for kind, line in first.items()
    ]


def run(label: str, script: str) -> None:
    Path("no_guard.py").write_text(script)
    with open("out.txt", "w") as out, open("err.txt", "w") as err:
        child = subprocess.Popen(
            [sys.executable, "no_guard.py"],
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
        try:
            outcome = f"exited with code {child.wait(timeout=5)}"
        except subprocess.TimeoutExpired:
            os.killpg(
                child.pid, signal.SIGKILL
            )  # the script and every process it started
            child.wait()
            outcome = "still running after 5 s: killed"
    print(f"{label}: {outcome}")
    for line in first_of_each_kind(Path("out.txt").read_text().splitlines()):
        print(f"  stdout: {line}")
    for kind, message in first_errors(Path("err.txt").read_text()).items():
        print(f"  stderr: {kind}: {message}")


if __name__ == "__main__":
    run("multiprocessing.Pool", NO_GUARD)
    forkserver = 'multiprocessing.get_context("forkserver").Pool'
    run(forkserver, NO_GUARD.replace("multiprocessing.Pool", forkserver))
