import multiprocessing


class Settings:
    mode = "default"


def read_mode() -> str:
    return Settings.mode


if __name__ == "__main__":
    for method in ("fork", "spawn", "forkserver"):
        Settings.mode = "set before the pool"
        ctx = multiprocessing.get_context(method)
        # maxtasksperchild=1: each task runs in a worker started for it alone.
        with ctx.Pool(processes=1, maxtasksperchild=1) as pool:
            Settings.mode = "set after the pool"  # before any task has run
            first = pool.apply(read_mode)
            second = pool.apply(read_mode)  # runs in a replacement worker
        print(f"{method:>10}: first worker {first!r}, replacement {second!r}")
