import os
import threading
import time
from multiprocessing import get_context

ctx = get_context("fork")
cache_lock = threading.Lock()
cache = {}

# Take the lock around every fork: the fork waits until no thread is inside
# the critical section, and both processes release their copy afterwards.
os.register_at_fork(
    before=cache_lock.acquire,
    after_in_parent=cache_lock.release,
    after_in_child=cache_lock.release,
)


def refresh_cache(lock_taken) -> None:
    with cache_lock:
        print("refresh thread: took the lock, refreshing the cache")
        lock_taken.set()
        time.sleep(0.5)  # a slow refresh
        cache["answer"] = 42
        print("refresh thread: done, releasing the lock")


def read_cache() -> None:
    print(f"child: is the lock held? {cache_lock.locked()}")
    with cache_lock:
        print(f"child: cache = {cache}")


if __name__ == "__main__":
    lock_taken = threading.Event()
    refresher = threading.Thread(target=refresh_cache, args=(lock_taken,))
    refresher.start()
    lock_taken.wait()
    child = ctx.Process(target=read_cache)
    child.start()  # waits in the before= hook until the refresh is done
    child.join()
    refresher.join()
    print(f"parent: child exit code {child.exitcode}")
