import multiprocessing
import signal
import textwrap

lock = None


def remember(shared_lock) -> None:
    global lock
    lock = shared_lock


def take_the_lock() -> str:
    with lock:
        return "took the lock"


def take_it(shared_lock) -> None:
    with shared_lock:
        pass


if __name__ == "__main__":
    fork_lock = multiprocessing.get_context("fork").Lock()
    spawn = multiprocessing.get_context("spawn")
    try:
        with spawn.Pool(1, initializer=remember, initargs=(fork_lock,)) as pool:
            result = pool.apply_async(take_the_lock)
            print("pool task:", result.get(timeout=3))
    except multiprocessing.TimeoutError:
        print("pool task: no result after 3 s (apply() would wait forever)")
    except RuntimeError as error:
        print("pool: RuntimeError in the parent:")
        print(textwrap.indent(textwrap.fill(str(error), width=68), "    "))
    try:
        child = spawn.Process(target=take_it, args=(fork_lock,))
        child.start()
        child.join()
        code = child.exitcode
        how = f" ({signal.Signals(-code).name})" if code < 0 else ""
        print(f"Process: the child exited with code {code}{how}")
    except RuntimeError:
        print("Process: RuntimeError in the parent, the same message")
