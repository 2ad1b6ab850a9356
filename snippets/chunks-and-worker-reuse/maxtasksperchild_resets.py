from __future__ import annotations

import os
import time
from multiprocessing import Pool

CACHE: dict = {}  # a module global: each worker process has its own


def lookup(key: str) -> tuple[bool, int]:
    hit = key in CACHE
    CACHE[key] = key.upper()
    return hit, os.getpid()


def run(keys: list, chunksize: int, maxtasks: int | None) -> tuple[str, int, float]:
    start = time.perf_counter()
    with Pool(processes=1, maxtasksperchild=maxtasks) as pool:
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
    _, _, reused = run(many, 1, None)
    _, _, fresh = run(many, 1, 1)
    print(f"100 tasks, one worker for all: {reused * 1000:.0f} ms")
    print(f"100 tasks, a new worker for each: {fresh * 1000:.0f} ms")
    print(f"a new worker per task is over 10 times slower: {fresh > 10 * reused}")
