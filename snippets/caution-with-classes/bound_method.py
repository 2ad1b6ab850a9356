import threading
from multiprocessing import Pool


class Counter:
    pickled = 0  # pickles made in this process
    unpickled = 0  # copies rebuilt in this process

    def __init__(self) -> None:
        self.total = 0

    def __getstate__(self) -> dict:
        Counter.pickled += 1
        return self.__dict__

    def __setstate__(self, state: dict) -> None:
        Counter.unpickled += 1
        self.__dict__.update(state)

    def add(self, n: int) -> str:
        self.total += n
        return f"{Counter.unpickled}:{self.total}"  # which copy, and its total


class LockedCounter(Counter):
    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()  # cannot be pickled


if __name__ == "__main__":
    counter = Counter()
    print("6 tasks that each add 1; each returns which copy ran it, and its total")
    for chunksize in (None, 1, 6):
        Counter.pickled = 0
        with Pool(processes=1) as pool:  # a fresh worker counts copies from zero
            seen = pool.map(counter.add, [1] * 6, chunksize=chunksize)
        print(
            f"chunksize={chunksize!s:<4}  pickles of self: {Counter.pickled}  "
            f"copy:total {' '.join(seen)}"
        )
    print(f"the parent's counter.total afterwards: {counter.total}")

    with Pool(processes=1) as pool:
        try:
            pool.map(LockedCounter().add, [1] * 6)
        except TypeError as error:
            print(f"a self that holds a lock: TypeError: {error}")
            for note in getattr(error, "__notes__", []):
                print(f"  note: {note}")
