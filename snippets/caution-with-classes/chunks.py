from dataclasses import dataclass, field
from multiprocessing import Pool


@dataclass
class Log:
    entries: list = field(default_factory=list)


def record(log: Log, n: int) -> int:
    log.entries.append(n)
    return len(log.entries) - 1  # how many earlier tasks this task can see


def default_chunksize(tasks: int, workers: int) -> int:
    # What Pool.map and Pool.starmap compute when no chunksize is given.
    chunksize, extra = divmod(tasks, workers * 4)
    return chunksize + 1 if extra else chunksize


if __name__ == "__main__":
    log = Log()
    with Pool(processes=3) as pool:
        for count in (3, 40):
            seen = pool.starmap(record, [(log, n) for n in range(count)])
            size = default_chunksize(count, 3)
            print(f"{count} tasks, chunksize {size}: earlier tasks seen = {seen}")
        seen = pool.starmap(record, [(log, n) for n in range(3)], chunksize=3)
        print(f"3 tasks, chunksize 3: earlier tasks seen = {seen}")
    print(f"entries in the parent's log: {log.entries}")
