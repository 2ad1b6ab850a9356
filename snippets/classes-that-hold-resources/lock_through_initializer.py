import multiprocessing

lock = None  # set in each worker by the initializer


def remember(shared_lock) -> None:
    global lock
    lock = shared_lock


def try_the_lock() -> str:
    if lock.acquire(timeout=0.2):
        lock.release()
        return "acquired it"
    return "found it busy"


if __name__ == "__main__":
    for method in ("fork", "spawn", "forkserver"):
        ctx = multiprocessing.get_context(method)
        shared_lock = ctx.Lock()  # made by the same context as the pool
        with ctx.Pool(1, initializer=remember, initargs=(shared_lock,)) as pool:
            with shared_lock:  # the parent holds it during this task
                while_held = pool.apply(try_the_lock)
            after = pool.apply(try_the_lock)
        print(f"{method:>10}: the worker {while_held}, then {after}")
