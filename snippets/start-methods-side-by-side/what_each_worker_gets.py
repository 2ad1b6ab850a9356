import multiprocessing
import os
import sys

loaded = []  # filled by the parent, under the guard below


def describe(script_pid: int) -> str:
    main = sys.modules["__main__"].__name__
    parent = "the script" if os.getppid() == script_pid else "another process"
    return f"main module {main!r}, sees {len(loaded)} loaded rows, child of {parent}"


if __name__ == "__main__":
    loaded.extend(range(1000))  # state that exists only in the parent's memory
    for method in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context(method)
        with ctx.Pool(processes=1) as pool:
            print(f"{method:>10}: {pool.apply(describe, (os.getpid(),))}")
