from multiprocessing import Manager, Pool


def work(flat, nested, me: int) -> None:
    flat["seen"].append(me)  # flat["seen"] is a copy of the list: the append is lost
    nested["seen"].append(me)  # nested["seen"] is a proxy: the manager appends


if __name__ == "__main__":
    with Manager() as manager:
        flat = manager.dict(seen=[])
        nested = manager.dict(seen=manager.list())
        print(f"flat['seen'] is a {type(flat['seen']).__name__}")
        print(f"nested['seen'] is a {type(nested['seen']).__name__}")

        with Pool(processes=3) as pool:
            pool.starmap(work, [(flat, nested, me) for me in range(3)])

        print(f"flat['seen'] after 3 tasks: {flat['seen']}")
        print(f"nested['seen'] after 3 tasks: {sorted(nested['seen'])}")
