import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor


def wait_for_ctrl_c(ready) -> None:
    try:
        ready.set()  # the parent interrupts as soon as it sees this
        time.sleep(30)
    except KeyboardInterrupt:  # interrupt() sends SIGINT: the child can clean up
        print("child: got KeyboardInterrupt, cleaning up")


def missing(name: str) -> None:
    print(f"{name}: not in this version")


if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")

    ready = ctx.Event()
    child = ctx.Process(target=wait_for_ctrl_c, args=(ready,))
    if hasattr(child, "interrupt"):
        child.start()
        ready.wait()
        child.interrupt()
        child.join()
        print(f"Process.interrupt(): the child exited with code {child.exitcode}")
    else:
        missing("Process.interrupt()")

    lock = ctx.Lock()
    if hasattr(lock, "locked"):
        with lock:
            print(f"Lock.locked() inside 'with lock': {lock.locked()}")
    else:
        missing("Lock.locked()")

    with ctx.Manager() as manager:
        if hasattr(manager, "set"):
            tags = manager.set({"a"})
            tags.add("b")
            print(f"SyncManager.set(): {sorted(tags)}")
        else:
            missing("SyncManager.set()")
        numbers = manager.list([1, 2, 3])
        if hasattr(numbers, "copy"):
            print(f"ListProxy.copy(): {numbers.copy()!r}")
        else:
            missing("ListProxy.copy()")
        config = manager.dict(a=1)
        try:
            print(f"DictProxy | dict: {config | {'b': 2}}")
        except TypeError:
            missing("DictProxy | dict")

    executor = ProcessPoolExecutor(max_workers=1, mp_context=ctx)
    if hasattr(executor, "kill_workers"):
        executor.submit(time.sleep, 30)
        executor.kill_workers()  # SIGKILL to every worker, then shut down
        print("ProcessPoolExecutor.kill_workers(): done")
    else:
        missing("ProcessPoolExecutor.kill_workers()")
    executor.shutdown()
