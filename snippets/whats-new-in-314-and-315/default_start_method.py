import multiprocessing

settings = {"mode": "as imported"}


def worker_view() -> str:
    name = multiprocessing.current_process().name
    return f"{name} sees mode={settings['mode']!r}"


if __name__ == "__main__":
    settings["mode"] = "set by the parent at run time"
    print("start methods, default first:", multiprocessing.get_all_start_methods())
    print("the default here:", multiprocessing.get_start_method())
    with multiprocessing.Pool(processes=1) as pool:  # no context: the default
        print("a plain Pool():", pool.apply(worker_view))
