import platform
from multiprocessing import Pool


def describe(_: int) -> str:
    return f"a worker runs {platform.python_implementation()}"


if __name__ == "__main__":
    with Pool(processes=2) as pool:
        print(pool.map(describe, range(2)))
