import multiprocessing


def square(n: int) -> int:
    return n * n


print(f"top-level code runs in {multiprocessing.current_process().name}")

if __name__ == "__main__":
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes=1) as pool:
        print(pool.map(square, range(5)))
