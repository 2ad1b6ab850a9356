from collections import Counter
from multiprocessing import Pool

LINES = [
    "the cat sat on the mat",
    "the dog sat on the cat",
    "a bird sat on the dog",
]

# A module global: every worker process has its own copy of it.
seen = Counter()


def count_into_global(line: str) -> None:
    seen.update(line.split())  # changes the copy in this worker only


def count_and_return(line: str) -> Counter:
    return Counter(line.split())  # a small result, pickled once per task


if __name__ == "__main__":
    with Pool(processes=2) as pool:
        pool.map(count_into_global, LINES)
        print(
            f"words in the parent's global after the workers ran: {sum(seen.values())}"
        )

        total = Counter()
        for partial in pool.imap(count_and_return, LINES):
            total.update(partial)  # the parent is the only process that writes
    print(f"words counted from the returned Counters: {sum(total.values())}")
    print(f"most common: {total.most_common(3)}")
