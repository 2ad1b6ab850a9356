import pickle
import threading
import traceback
from multiprocessing import get_context


class Cache:
    def __init__(self) -> None:
        self.entries = {}
        self.guard = threading.Lock()  # cannot be pickled


def size(cache: Cache) -> int:
    return len(cache.entries)


def last_lines(error: BaseException) -> list:
    # What a traceback prints below its "File ..." lines: the error, then its notes.
    return "".join(traceback.format_exception_only(type(error), error)).splitlines()


if __name__ == "__main__":
    try:
        pickle.dumps(Cache())
    except TypeError as error:
        print("pickle.dumps(Cache()):")
        for line in last_lines(error):
            print("   ", line)
    with get_context("spawn").Pool(processes=1) as pool:
        try:
            pool.apply(size, (Cache(),))
        except TypeError as error:
            print("pool.apply(size, (Cache(),)):")
            for line in last_lines(error):
                print("   ", line)
