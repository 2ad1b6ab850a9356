import threading
from multiprocessing import Process
from multiprocessing.managers import BaseManager, NamespaceProxy, RemoteError


class Score:
    def __init__(self) -> None:
        self.total = 0

    def add(self, n: int) -> int:
        self.total += n
        return self.total


class Tally(Score):
    """The same, made safe for calls that arrive in several threads at once."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def add(self, n: int) -> int:
        with self._lock:
            return super().add(n)


class TallyProxy(NamespaceProxy):
    # Attribute access as in NamespaceProxy, plus one method run by the manager.
    _exposed_ = NamespaceProxy._exposed_ + ("add",)

    def add(self, n: int) -> int:
        return self._callmethod("add", (n,))


class MyManager(BaseManager):
    pass


MyManager.register("Score", Score, proxytype=NamespaceProxy)
MyManager.register("LockedScore", Tally, proxytype=NamespaceProxy)
MyManager.register("Tally", Tally, proxytype=TallyProxy)

WORKERS, UPDATES = 4, 250


def bump_attribute(tally) -> None:
    for _ in range(UPDATES):
        tally.total += 1  # one round trip to read, another one to write


def call_add(tally) -> None:
    for _ in range(UPDATES):
        tally.add(1)  # one round trip; the manager adds under its lock


def run(target, tally) -> int:
    tally.total = 0
    workers = [Process(target=target, args=(tally,)) for _ in range(WORKERS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return tally.total


if __name__ == "__main__":
    with MyManager() as manager:
        score = manager.Score()
        score.total = 10
        print(f"NamespaceProxy, attribute: score.total = {score.total}")
        returned = score.add(5)
        print(f"score.add(5) returned {returned}, score.total is still {score.total}")

        locked = manager.LockedScore()
        try:
            locked.add(5)
        except RemoteError as error:
            # The manager's traceback travels inside the error, as text.
            lines = str(error).splitlines()
            why = next(line for line in lines if line.startswith("TypeError"))
            print(f"locked.add(5): RemoteError from the manager: {why}")
            # CPython 3.14+ adds notes after it: what was being pickled.
            notes = [line for line in lines if line.startswith("when serializing ")]
            objects = [note.split(" ", 2)[2] for note in notes if "object" in note]
            if objects:
                print(f"  notes: it was pickling {', '.join(objects)}")

        tally = manager.Tally()
        print(
            f"TallyProxy: tally.add(5) returned {tally.add(5)}, total = {tally.total}"
        )

        expected = WORKERS * UPDATES
        total = run(bump_attribute, tally)
        lost = "yes" if total < expected else "no"
        print(
            f"{WORKERS} processes, tally.total += 1: {total} of {expected}, lost updates: {lost}"
        )
        total = run(call_add, tally)
        print(f"{WORKERS} processes, tally.add(1): {total} of {expected}")
