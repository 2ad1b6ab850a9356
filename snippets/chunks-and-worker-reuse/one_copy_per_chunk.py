from multiprocessing import Pool


class Settings:
    pickled = 0  # pickles made in this process
    unpickled = 0  # copies rebuilt in this process

    def __init__(self) -> None:
        self.scale = 10

    def __getstate__(self) -> dict:
        Settings.pickled += 1
        return self.__dict__

    def __setstate__(self, state: dict) -> None:
        Settings.unpickled += 1
        self.__dict__.update(state)


def copy_number(settings: Settings, n: int) -> int:
    return Settings.unpickled  # the copy this task received, counted in its worker


def default_chunksize(tasks: int, workers: int) -> int:
    # What Pool.map and Pool.starmap compute when no chunksize is given.
    chunksize, extra = divmod(tasks, workers * 4)
    return chunksize + 1 if extra else chunksize


if __name__ == "__main__":
    settings = Settings()
    tasks = [(settings, n) for n in range(10)]
    print(f"default chunksize for 10 tasks and 1 worker: {default_chunksize(10, 1)}")
    for chunksize in (None, 1, 10):
        Settings.pickled = 0
        with Pool(processes=1) as pool:  # a fresh worker counts from zero
            copies = pool.starmap(copy_number, tasks, chunksize=chunksize)
        print(
            f"chunksize={chunksize!s:<4}  pickles: {Settings.pickled:>2}  "
            f"copy seen by each task: {copies}"
        )
