import timeit
from multiprocessing import Array, Manager, Value
from multiprocessing.managers import BaseManager
from multiprocessing.shared_memory import ShareableList


class Tally:
    def __init__(self) -> None:
        self.total = 0

    def add(self, n: int) -> None:
        self.total += n


class TallyManager(BaseManager):
    pass


TallyManager.register("Tally", Tally)


def per_update(rows: list, names: dict, rounds: int = 30) -> dict:
    """Seconds per update of each row: the best of many short rounds.

    The rows take turns in every round, so a moment when the machine is busy
    slows one round of every row instead of all the rounds of one row; a round
    is short enough that some rounds run undisturbed even on a busy machine.
    """
    timers = {label: timeit.Timer(stmt, globals=names) for label, stmt, _ in rows}
    best = {label: float("inf") for label, _, _ in rows}
    for _ in range(rounds):
        for label, _, number in rows:
            best[label] = min(best[label], timers[label].timeit(number) / number)
    return best


def about(ratio: float) -> str:
    if ratio < 10:
        return f"~{max(1, round(ratio))}x"
    return f"~{float(f'{ratio:.1g}'):.0f}x"  # one significant digit: ~40x, ~600x


if __name__ == "__main__":
    board = ShareableList([0])
    names = {
        "box": Tally(),
        "raw": Value("q", 0, lock=False),
        "counter": Value("q", 0),
        "cells": Array("q", 1),
        "board": board,
    }
    rows = [
        ("plain local object", "box.total += 1", 20_000),
        ("Value(lock=False)", "raw.value += 1", 20_000),
        (
            "Value + get_lock()",
            "with counter.get_lock():\n    counter.value += 1",
            5_000,
        ),
        ("Array + get_lock()", "with cells.get_lock():\n    cells[0] += 1", 5_000),
        ("ShareableList", "board[0] += 1", 2_000),
        ("Manager: method call on an AutoProxy", "tally.add(1)", 50),
        ("Manager: Namespace attribute += 1", "space.total += 1", 50),
    ]
    try:
        with Manager() as manager, TallyManager() as tallies:
            names["space"] = manager.Namespace(total=0)
            names["tally"] = tallies.Tally()
            costs = per_update(rows, names)
    finally:
        board.shm.close()
        board.shm.unlink()

    baseline = costs["plain local object"]
    print("| one update of a shared counter | cost, relative to a plain object |")
    print("| --- | --- |")
    for label, cost in costs.items():
        print(f"| {label} | {'1x' if cost is baseline else about(cost / baseline)} |")
