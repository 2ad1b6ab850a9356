import multiprocessing


def try_to_set(method: str, force: bool = False) -> str:
    try:
        multiprocessing.set_start_method(method, force=force)
    except RuntimeError as error:
        return f"RuntimeError: {error}"
    return f"the start method is now {multiprocessing.get_start_method()!r}"


if __name__ == "__main__":
    print("set_start_method('spawn')            ->", try_to_set("spawn"))
    print("set_start_method('spawn')            ->", try_to_set("spawn"))
    print("set_start_method('forkserver')       ->", try_to_set("forkserver"))
    print("set_start_method('fork', force=True) ->", try_to_set("fork", force=True))
