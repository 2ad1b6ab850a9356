import multiprocessing


class Settings:
    mode = "default"  # the value written in the source


def read_mode() -> str:
    return Settings.mode


if __name__ == "__main__":
    for method in ("fork", "spawn", "forkserver"):
        Settings.mode = "set before the pool"
        with multiprocessing.get_context(method).Pool(processes=1) as pool:
            before = pool.apply(read_mode)
            Settings.mode = "set after the pool"
            after = pool.apply(read_mode)
        print(f"{method:>10}: a worker reads {before!r}, then {after!r}")
