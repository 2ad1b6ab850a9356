import threading
import warnings
from multiprocessing import get_context

cache_lock = threading.Lock()
cache = {}


def refresh_cache(lock_taken, children_done) -> None:
    with cache_lock:
        lock_taken.set()
        children_done.wait()  # still refreshing while the children run
        cache["answer"] = 42


def read_cache() -> str:
    # This child imported the module afresh: a new lock and a new, empty cache.
    with cache_lock:
        return f"got the lock, cache = {cache}"


if __name__ == "__main__":
    lock_taken, children_done = threading.Event(), threading.Event()
    refresher = threading.Thread(target=refresh_cache, args=(lock_taken, children_done))
    refresher.start()
    lock_taken.wait()
    for method in ("spawn", "forkserver"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            with get_context(method).Pool(processes=1) as pool:
                result = pool.apply(read_cache)
        print(f"{method:>10}: {result}; fork warnings: {len(caught)}")
    print(f"{'parent':>10}: is the lock held? {cache_lock.locked()}")
    children_done.set()
    refresher.join()
    print(f"{'parent':>10}: cache = {cache}")
