import threading
from multiprocessing import get_context

ctx = get_context("fork")
cache_lock = threading.Lock()
cache = {}


def refresh_cache(lock_taken, child_waiting) -> None:
    with cache_lock:
        print("refresh thread: took the lock, refreshing the cache")
        lock_taken.set()
        child_waiting.wait()  # still refreshing when the child starts
        cache["answer"] = 42
    print("refresh thread: done, lock released")


def read_cache(child_waiting) -> None:
    print(f"child: threads here: {threading.active_count()}")
    print(f"child: is the lock held? {cache_lock.locked()}")
    print("child: waiting for the lock ...")
    child_waiting.set()
    with cache_lock:  # nobody in this process will ever release it
        print(f"child: cache = {cache}")


if __name__ == "__main__":
    lock_taken, child_waiting = threading.Event(), ctx.Event()
    refresher = threading.Thread(target=refresh_cache, args=(lock_taken, child_waiting))
    refresher.start()
    lock_taken.wait()
    child = ctx.Process(target=read_cache, args=(child_waiting,))
    child.start()  # fork() while the refresh thread holds cache_lock
    refresher.join()
    print(f"parent: is the lock held? {cache_lock.locked()}; cache = {cache}")
    child.join()
    print("parent: the child has finished")
