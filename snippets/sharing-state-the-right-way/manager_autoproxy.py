import threading
from multiprocessing import Barrier, Process
from multiprocessing.managers import BaseManager


class Tally:
    """Lives in the manager's process; a proxy call runs the method there."""

    def __init__(self) -> None:
        self.total = 0
        self._lock = threading.Lock()
        self._threads = set()

    def add(self, n: int) -> None:
        with self._lock:
            self.total += n
            self._threads.add(threading.get_ident())

    def get_total(self) -> int:
        return self.total

    def set_total(self, value: int) -> None:
        with self._lock:
            self.total = value

    def threads_used(self) -> int:
        return len(self._threads)


class TallyManager(BaseManager):
    pass


TallyManager.register("Tally", Tally)


def work(tally, everyone_connected) -> None:
    tally.add(1)  # the first call opens this process's connection to the manager
    everyone_connected.wait()
    for _ in range(99):
        tally.add(1)


if __name__ == "__main__":
    with TallyManager() as manager:
        tally = manager.Tally()
        print(f"{type(tally).__name__} exposes {tally._exposed_}")

        everyone_connected = Barrier(4)
        workers = [
            Process(target=work, args=(tally, everyone_connected)) for _ in range(4)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

        try:
            print(tally.total)
        except AttributeError as error:
            print(f"AttributeError: {error}")
        print(f"tally.get_total() = {tally.get_total()}")
        tally.set_total(0)
        print(f"after tally.set_total(0): {tally.get_total()}")
        print(f"threads of the manager process that ran add(): {tally.threads_used()}")
