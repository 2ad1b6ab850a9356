from multiprocessing import Pool

CACHE: dict = {}  # a module global: each worker process has its own


def lookup(key: str, notes: list) -> str:
    hit = key in CACHE
    CACHE[key] = key.upper()  # stays in this worker, for its next tasks
    notes.append(key)  # changes this task's copy of the list only
    return (
        f"{key}: {'hit ' if hit else 'miss'} | CACHE has {len(CACHE)} | notes {notes}"
    )


if __name__ == "__main__":
    notes: list = []
    tasks = [(key, notes) for key in ["a", "b", "a", "c", "b"]]
    with Pool(processes=1) as pool:  # one worker runs every task
        for line in pool.starmap(lookup, tasks, chunksize=1):
            print(line)
    print(f"the parent: CACHE {CACHE}, notes {notes}")
