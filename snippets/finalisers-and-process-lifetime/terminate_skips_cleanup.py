import multiprocessing
import time
from pathlib import Path

LOG = Path("worker.log")


def log(line: str) -> None:
    with LOG.open("a") as file:  # written and closed at once
        file.write(line + "\n")


class Resource:
    def __del__(self) -> None:
        log("Resource.__del__ ran")


def slow_task(seconds: float) -> str:
    resource = Resource()
    try:
        with open("result.txt", "w") as out:
            out.write("42\n")  # sits in the file object's buffer until close
            log("task started")
            time.sleep(seconds)
        return "done"
    finally:
        log("finally ran")
        del resource


def report(how: str, workers: list) -> None:
    print(f"{how}:")
    print(f"  worker exit codes: {[worker.exitcode for worker in workers]}")
    for line in LOG.read_text().splitlines():
        print(f"  worker.log: {line}")
    print(f"  result.txt: {Path('result.txt').read_text()!r}")
    LOG.unlink()


if __name__ == "__main__":
    # Leave the with block while the task still runs: __exit__ calls terminate().
    with multiprocessing.Pool(processes=1) as pool:
        pool.apply_async(slow_task, (5.0,))
        workers = multiprocessing.active_children()
        while not (LOG.exists() and LOG.read_text()):
            time.sleep(0.01)  # wait until the task is under way
    report("with block left during the task", workers)

    # close() lets the worker finish its tasks; join() waits until it exits.
    pool = multiprocessing.Pool(processes=1)
    pending = pool.apply_async(slow_task, (0.1,))
    workers = multiprocessing.active_children()
    pool.close()
    pool.join()
    report(f"close() and join(), result {pending.get()!r}", workers)
