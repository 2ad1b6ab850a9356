import multiprocessing
import time


def square(n: int) -> int:
    return n * n


print(f"top-level code runs in {multiprocessing.current_process().name}")
time.sleep(0.5)  # stands for the imports and set-up of a real script
multiprocessing.set_start_method("spawn")
with multiprocessing.Pool(processes=1) as pool:
    print(pool.map(square, range(5)))
