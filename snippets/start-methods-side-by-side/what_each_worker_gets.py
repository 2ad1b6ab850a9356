import multiprocessing
import os
import sys

loaded = []  # filled by the parent, under the guard below
TOP_LEVEL_RAN_IN = os.getpid()  # the process that ran this file's top level


def describe(script_pid: int) -> str:
    main = sys.modules["__main__"].__name__
    parent = "the script" if os.getppid() == script_pid else "the fork server"
    ran = "this worker" if os.getpid() == TOP_LEVEL_RAN_IN else "its parent"
    return (
        f"main module {main!r}, sees {len(loaded)} loaded rows, "
        f"child of {parent}, top level ran in {ran}"
    )


if __name__ == "__main__":
    loaded.extend(range(1000))  # state that exists only in the parent's memory
    for method in ("fork", "spawn", "forkserver"):  # a fixed order
        ctx = multiprocessing.get_context(method)
        with ctx.Pool(processes=1) as pool:
            print(f"{method:>10}: {pool.apply(describe, (os.getpid(),))}")
