import multiprocessing

WORKERS, UPDATES = 4, 50_000
EXPECTED = WORKERS * UPDATES


def bare(counter, slots, me, go) -> None:
    go.wait()
    for _ in range(UPDATES):
        counter.value += 1  # a locked read, then a locked write


def with_lock(counter, slots, me, go) -> None:
    go.wait()
    for _ in range(UPDATES):
        with counter.get_lock():  # the read and the write under one lock
            counter.value += 1


def own_slot(counter, slots, me, go) -> None:
    go.wait()
    for _ in range(UPDATES):
        slots[me] += 1  # no other process writes this slot


def run(ctx, target) -> int:
    counter = ctx.Value("q", 0)  # lock=True is the default: an RLock comes with it
    slots = ctx.Array("q", WORKERS, lock=False)  # raw shared memory, no lock at all
    go = ctx.Barrier(WORKERS)  # no worker starts counting before all four are running
    workers = [
        ctx.Process(target=target, args=(counter, slots, me, go))
        for me in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value + sum(slots)  # each target uses only one of the two


if __name__ == "__main__":
    print(f"{WORKERS} processes x {UPDATES} updates, expected total {EXPECTED}")
    outcomes = {}
    for method in ("fork", "spawn", "forkserver"):
        ctx = multiprocessing.get_context(method)
        total = run(ctx, bare)
        lost = "yes" if total < EXPECTED else "no"
        locked, slotted = run(ctx, with_lock), run(ctx, own_slot)
        print(f"{method}:")
        print(f"  counter.value += 1             : {total}, lost updates: {lost}")
        print(f"  with counter.get_lock(): += 1  : {locked}")
        print(f"  Array(lock=False), own slots   : {slotted}")
        outcomes[method] = (lost, locked, slotted)
    agree = len(set(outcomes.values())) == 1
    print(f"the three start methods agree on every outcome: {agree}")
