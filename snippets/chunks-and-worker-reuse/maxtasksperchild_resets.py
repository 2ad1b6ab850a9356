from __future__ import annotations

import multiprocessing
import os
import time

CACHE: dict = {}  # a module global: each worker process has its own


def lookup(key: str) -> tuple[bool, int]:
    hit = key in CACHE
    CACHE[key] = key.upper()
    return hit, os.getpid()


def run(keys: list, chunksize: int, maxtasks: int | None, method: str | None = None):
    start = time.perf_counter()
    ctx = multiprocessing.get_context(method)  # None: the default start method
    with ctx.Pool(processes=1, maxtasksperchild=maxtasks) as pool:
        results = pool.map(lookup, keys, chunksize=chunksize)
    seconds = time.perf_counter() - start
    hits = " ".join("hit" if hit else "miss" for hit, _ in results)
    return hits, len({pid for _, pid in results}), seconds


if __name__ == "__main__":
    keys = ["a", "b", "a", "c", "b", "a"]
    print(f"keys: {' '.join(keys)}")
    for maxtasks, chunksize in ((None, 1), (1, 1), (1, 3)):
        hits, workers, _ = run(keys, chunksize, maxtasks)
        print(
            f"maxtasksperchild={maxtasks}, chunksize={chunksize}: {hits} "
            f"| worker processes: {workers}"
        )

    many = ["a"] * 100
    print("100 tasks, a new worker for each, against one worker for all of them:")
    slower = {}
    for method in ("fork", "forkserver"):
        run(["a"], 1, None, method)  # start forkserver's server before timing
        # The best of three: a short measurement is the one a busy machine spoils.
        reused = min(run(many, 1, None, method)[2] for _ in range(3))
        _, _, fresh = run(many, 1, 1, method)
        per_worker = (fresh - reused) / len(many) * 1000
        print(
            f"{method:>10}: {fresh * 1000:.0f} ms against {reused * 1000:.0f} ms, "
            f"about {per_worker:.0f} ms per new worker"
        )
        slower[method] = fresh > 10 * reused
    print(f"a new worker per task is over 10 times slower: {slower}")
    print(f"the default start method here: {multiprocessing.get_start_method()}")
