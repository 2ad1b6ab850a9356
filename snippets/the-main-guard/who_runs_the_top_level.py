import multiprocessing

# Top-level code: it runs in every process that imports this file.
who = multiprocessing.current_process().name
if __name__ == "__mp_main__" and who == "MainProcess":
    who = "the fork server"  # a process of its own, which has no worker's name
print(f"{who} runs the top level as {__name__!r}")


def square(n: int) -> int:
    return n * n


if __name__ == "__main__":
    for method in ("fork", "spawn", "forkserver"):
        print(f"--- a {method} pool")
        with multiprocessing.get_context(method).Pool(processes=1) as pool:
            print(f"    square(3) = {pool.apply(square, (3,))}")
