import time
from multiprocessing import Pool


def double(n: int) -> int:
    return 2 * n


def echo(n: int) -> int:
    return n


def cost_per_task(pool, chunksize: int, tasks: int = 5_000) -> float:
    """Microseconds per task, the best of three runs of imap."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _result in pool.imap(double, range(tasks), chunksize=chunksize):
            pass
        best = min(best, time.perf_counter() - start)
    return best / tasks * 1e6


if __name__ == "__main__":
    with Pool(processes=2) as pool:
        one = cost_per_task(pool, chunksize=1)  # imap's default
        hundred = cost_per_task(pool, chunksize=100)
        print(f"imap, chunksize=1:   {one:.2f} µs per task")
        print(f"imap, chunksize=100: {hundred:.2f} µs per task")
        print(f"chunksize=1 costs {one / hundred:.0f} times as much per task")
        print(f"chunksize=1 costs over 5 times as much per task: {one > 5 * hundred}")

        # imap_unordered yields whole chunks: each chunk's results together, in order.
        arrived = list(pool.imap_unordered(echo, range(12), chunksize=4))
        groups = sorted(arrived[i : i + 4] for i in range(0, 12, 4))
        print(f"imap_unordered, chunksize=4, arrived in groups: {groups}")
