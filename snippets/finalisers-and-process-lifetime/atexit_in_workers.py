import atexit
import multiprocessing
from pathlib import Path


def note(text: str) -> None:
    with Path("atexit.log").open("a") as log:
        log.write(text + "\n")


def register_in_worker() -> None:
    # Pool(initializer=...) runs this once in every new worker.
    atexit.register(note, "registered in the worker")


def square(n: int) -> int:
    return n * n


if __name__ == "__main__":
    atexit.register(note, "registered in the parent")  # before any worker exists
    for method in ("fork", "spawn", "forkserver"):
        Path("atexit.log").write_text("")
        ctx = multiprocessing.get_context(method)
        pool = ctx.Pool(processes=1, initializer=register_in_worker)
        pool.map(square, range(3))
        pool.close()
        pool.join()  # a clean exit, not terminate()
        ran = Path("atexit.log").read_text().splitlines() or ["no handler"]
        print(f"{method:>10}: ran in the worker: {', '.join(ran)}")
