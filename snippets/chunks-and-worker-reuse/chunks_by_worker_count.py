from multiprocessing import Pool


class Settings:
    pickled = 0  # pickles made in this process

    def __init__(self) -> None:
        self.scale = 10

    def __getstate__(self) -> dict:
        Settings.pickled += 1
        return self.__dict__


def scaled(settings: Settings, n: int) -> int:
    return settings.scale * n


def default_chunksize(tasks: int, workers: int) -> int:
    # What Pool.map and Pool.starmap compute when no chunksize is given.
    chunksize, extra = divmod(tasks, workers * 4)
    return chunksize + 1 if extra else chunksize


if __name__ == "__main__":
    settings = Settings()
    tasks = [(settings, n) for n in range(100)]
    for workers in (1, 2, 4, 8, 16):
        Settings.pickled = 0
        with Pool(processes=workers) as pool:
            pool.starmap(scaled, tasks)
        print(
            f"{workers:>2} workers: chunksize {default_chunksize(100, workers):>2}, "
            f"the parent pickled the shared settings {Settings.pickled:>2} times"
        )
