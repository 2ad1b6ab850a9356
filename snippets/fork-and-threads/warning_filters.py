import os
import re
import threading
import warnings
from multiprocessing import get_context

messages = set()


def square(n: int) -> int:
    return n * n


def fork_with_a_thread_alive(how: str) -> None:
    finished = threading.Event()
    sleeper = threading.Thread(target=finished.wait)  # alive during the fork
    sleeper.start()
    if how == "os.fork()":
        pid = os.fork()  # called from __main__
        if pid == 0:  # the child leaves at once
            os._exit(0)
        os.waitpid(pid, 0)
    else:
        with get_context("fork").Pool(processes=1) as pool:
            pool.map(square, [1, 2])
    finished.set()
    sleeper.join()


def seen(caught: list) -> str:
    for warning in caught:
        messages.add(re.sub(r"pid=\d+", "pid=...", str(warning.message)))
    return ", ".join(
        f"{w.category.__name__} from {os.path.basename(w.filename)}" for w in caught
    )


if __name__ == "__main__":
    print("DeprecationWarning filters at start-up:")
    for action, _, category, module, _ in warnings.filters:
        if category is DeprecationWarning:
            print(f"  {action!r} for module {module!r}")
    for action in (None, "default", "error"):
        title = f"simplefilter({action!r})" if action else "start-up filters"
        print(f"{title}:")
        for how in ("os.fork()", "fork Pool"):
            with warnings.catch_warnings(record=True) as caught:
                if action:
                    warnings.simplefilter(action)
                fork_with_a_thread_alive(how)
            print(f"  {how:<10} {seen(caught) or 'nothing'}")
    print("message:", *sorted(messages) or ["(none was recorded)"])
