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
    try:
        if how == "os.fork()":
            pid = os.fork()  # called from __main__
            if pid == 0:  # the child leaves at once
                os._exit(0)
            os.waitpid(pid, 0)
        else:
            with get_context("fork").Pool(processes=1) as pool:
                pool.map(square, [1, 2])
    finally:  # the sleeper must end, or the program never exits
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
                try:
                    fork_with_a_thread_alive(how)
                    outcome = seen(caught) or "nothing"
                except DeprecationWarning as error:  # "error" made it an exception
                    messages.add(re.sub(r"pid=\d+", "pid=...", str(error)))
                    outcome = "raised DeprecationWarning"
            print(f"  {how:<10} {outcome}")
    print("message:", *sorted(messages) or ["(none was recorded)"])
