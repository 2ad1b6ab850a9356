import multiprocessing


def square(n: int) -> int:
    return n * n


print(f"top-level code runs in {multiprocessing.current_process().name}")
ctx = multiprocessing.get_context("fork")
with ctx.Pool(processes=2) as pool:
    print(pool.map(square, range(5)))
print(f"the end of the file, reached in {multiprocessing.current_process().name}")
