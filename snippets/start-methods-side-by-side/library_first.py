import multiprocessing


def started_by() -> str:
    return multiprocessing.get_start_method()


def library_job() -> str:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes=1) as pool:
        return pool.apply(started_by)


def chosen():  # None until a start method is fixed
    return multiprocessing.get_start_method(allow_none=True)


if __name__ == "__main__":
    print("chosen before the library runs:", chosen())
    print("the library's worker started by:", library_job())
    print("chosen after the library ran:  ", chosen())
    try:
        multiprocessing.set_start_method("forkserver")  # the application, too late
    except RuntimeError as error:
        print(f"set_start_method('forkserver') -> RuntimeError: {error}")
    else:
        print("set_start_method('forkserver') -> accepted")
