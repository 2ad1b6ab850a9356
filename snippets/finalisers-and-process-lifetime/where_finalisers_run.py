import multiprocessing
from multiprocessing import parent_process


def who() -> str:
    name = multiprocessing.current_process().name
    return "the fork server" if name == "MainProcess" else name


class Tracked:
    def __init__(self, label: str) -> None:
        self.label = label
        if __name__ == "__mp_main__":  # this file is being run again, not as the script
            print(f"  {who()} built the {label}")

    def __del__(self) -> None:
        if parent_process() is not None:  # report only what happens in workers
            print(f"  worker finalised the {self.label}")


# Built by every process that runs this file: the parent, and each process
# that runs it again as __mp_main__ (a spawn worker; the fork server, or each
# of its workers, depending on the release).
GLOBAL = Tracked("module global")


def use(item: Tracked) -> None:
    print(f"  worker ran a task on the {item.label}")


if __name__ == "__main__":
    items = [Tracked("task copy no. 1"), Tracked("task copy no. 2")]
    runs = [("fork", 1), ("spawn", 1), ("forkserver", 1), ("fork", 2)]
    for method, chunksize in runs:
        print(f"{method}, chunksize={chunksize}:")
        pool = multiprocessing.get_context(method).Pool(processes=1)
        pool.map(use, items, chunksize=chunksize)
        pool.close()
        pool.join()  # the worker has exited: all it printed is above
