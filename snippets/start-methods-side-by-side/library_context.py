import multiprocessing


# --- a library: it needs spawn, and leaves the application's choice alone ---
def started_by() -> str:
    return multiprocessing.get_start_method()  # in a worker: how it was started


def library_job() -> str:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes=1) as pool:
        return pool.apply(started_by)


# --- the application: it chooses its start method first, once ---
if __name__ == "__main__":
    multiprocessing.set_start_method("forkserver")
    print("the library's worker started by:    ", library_job())
    with multiprocessing.Pool(processes=1) as pool:
        print("the application's worker started by:", pool.apply(started_by))
    print("the global start method is still:   ", multiprocessing.get_start_method())
