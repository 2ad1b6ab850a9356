import io
import multiprocessing
import sys
import time
from pathlib import Path

# --- not part of the mistake: keeps the page short ---------------------------
# A process that dies prints one line instead of its traceback, and once three
# have died, the ones that follow print nothing (the pool keeps starting them).
DEATHS = Path("deaths.log")
if multiprocessing.current_process().name == "MainProcess":
    DEATHS.write_text("")  # the script you ran starts the count
if DEATHS.read_text().count("\n") >= 3:
    sys.stdout = io.StringIO()  # what it prints goes nowhere


def one_line(kind: type, error: BaseException, traceback: object) -> None:
    name = multiprocessing.current_process().name
    first = " ".join(str(error).split()).split(". ")[0]  # its first sentence
    print(f"    {name} died: {kind.__name__}: {first}")
    with DEATHS.open("a") as deaths:
        deaths.write("died\n")


sys.excepthook = one_line
# --- the script, without the guard --------------------------------------------


def square(n: int) -> int:
    return n * n


print(f"top-level code runs in {multiprocessing.current_process().name}")
time.sleep(0.5)  # stands for the imports and set-up of a real script
ctx = multiprocessing.get_context("spawn")
with ctx.Pool(processes=1) as pool:
    print(pool.map(square, range(5)))
