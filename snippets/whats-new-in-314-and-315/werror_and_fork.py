import os
import threading
import warnings
from multiprocessing import get_context


def square(n: int) -> int:
    return n * n


def fork_once() -> str:
    pid = os.fork()
    if pid == 0:  # the child leaves at once
        os._exit(0)
    os.waitpid(pid, 0)
    return "returned normally"


def fork_pool() -> str:
    with get_context("fork").Pool(processes=1) as pool:
        return f"returned {pool.map(square, [1, 2])}"


if __name__ == "__main__":
    # A daemon thread: the process is multi-threaded, and nothing waits for it.
    threading.Thread(target=threading.Event().wait, daemon=True).start()
    for name, fork in (("os.fork()", fork_once), ("fork Pool", fork_pool)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("default")
            fork()
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # what -W error does
            try:
                outcome = fork()
            except DeprecationWarning:
                outcome = "raised DeprecationWarning"
        print(f"{name}: 'default' recorded {len(caught)} warning(s); 'error' {outcome}")
