import multiprocessing
import time


def square(n: int) -> int:
    return n * n


print(f"top-level code runs in {multiprocessing.current_process().name}")
time.sleep(0.5)  # stands for the imports and set-up of a real script
ctx = multiprocessing.get_context("spawn")
with ctx.Pool(processes=1) as pool:  # one worker: its tracebacks cannot interleave
    print(pool.map(square, range(5)))
