import multiprocessing


def nothing() -> None:
    pass


if __name__ == "__main__":
    # What a library does inside: its own context, not the global default.
    child = multiprocessing.get_context("spawn").Process(target=nothing)
    child.start()
    child.join()
    chosen = multiprocessing.get_start_method(allow_none=True)
    print(f"global start method after the library's spawn process: {chosen}")
    try:
        multiprocessing.set_start_method("forkserver")
        print("set_start_method('forkserver'): accepted")
    except RuntimeError as error:
        print(f"set_start_method('forkserver'): RuntimeError: {error}")
