import multiprocessing
import textwrap

lock = None


def remember(shared_lock) -> None:
    global lock
    lock = shared_lock


def nothing() -> None:
    pass


if __name__ == "__main__":
    fork_lock = multiprocessing.get_context("fork").Lock()  # Linux's default up to 3.13
    spawn = multiprocessing.get_context("spawn")
    try:
        with spawn.Pool(1, initializer=remember, initargs=(fork_lock,)) as pool:
            pool.apply(nothing)
    except RuntimeError as error:
        print("RuntimeError:")
        print(textwrap.indent(textwrap.fill(str(error), width=68), "    "))
