import inspect
import os
import threading
import time
import warnings
from multiprocessing import get_context

forks = []


def os_thread_count() -> int:
    # Linux: the kernel's own count of this process's threads.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    raise RuntimeError("no Threads: line")


def note_fork() -> None:
    """Runs in the parent just before each fork."""
    callers = {frame.function for frame in inspect.stack()}
    who = "Pool._handle_workers" if "_handle_workers" in callers else "main thread"
    forks.append(f"forked by {who:<20} threads alive: {os_thread_count()}")


def task(n: int) -> int:
    return n


def run(case: str) -> None:
    # A thread that join() has returned for can stay in the kernel's count
    # for a moment: let the threads of the previous case disappear first.
    while os_thread_count() > 1:
        time.sleep(0.01)
    ctx = get_context("fork")
    finished = threading.Event()
    sleeper = threading.Thread(target=finished.wait)  # alive until the case ends
    forks.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        if case == "a thread, then the pool":
            sleeper.start()
            with ctx.Pool(processes=1) as pool:
                pool.map(task, range(3))
        elif case == "the pool, then a thread":
            with ctx.Pool(processes=1) as pool:
                sleeper.start()
                pool.map(task, range(3))
        elif case == "a second pool inside the first":
            with ctx.Pool(processes=1) as first, ctx.Pool(processes=1) as second:
                first.map(task, range(3))
                second.map(task, range(3))
        else:  # no thread of ours; each worker retires after one task
            with ctx.Pool(processes=1, maxtasksperchild=1) as pool:
                pool.map(task, range(3), chunksize=1)
        seen = forks[:3]  # a fourth replacement may race with the exit
    finished.set()
    if sleeper.is_alive():
        sleeper.join()
    print(f"{case}:")
    for n, line in enumerate(seen, 1):
        print(f"  worker {n}: {line}")
    print(f"  fork warnings recorded: {len(caught)}")


if __name__ == "__main__":
    os.register_at_fork(before=note_fork)
    run("a thread, then the pool")
    run("the pool, then a thread")
    run("a second pool inside the first")
    run("maxtasksperchild=1")
