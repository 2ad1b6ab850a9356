import _thread
import threading
import warnings
from multiprocessing import get_context


def os_thread_count() -> int:
    # Linux: the kernel's own count of this process's threads.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    raise RuntimeError("no Threads: line")


def square(n: int) -> int:
    return n * n


if __name__ == "__main__":
    # A thread the threading module never hears of, like the threads a C
    # extension starts for itself.
    never = _thread.allocate_lock()
    never.acquire()
    _thread.start_new_thread(never.acquire, ())  # blocks until the process exits
    print(f"threading.active_count(): {threading.active_count()}")
    print(f"threads the kernel counts: {os_thread_count()}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        with get_context("fork").Pool(processes=1) as pool:
            pool.map(square, [1, 2])
    print(f"fork warnings recorded: {len(caught)}")
