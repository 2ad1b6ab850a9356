from multiprocessing import Pool, parent_process


class Document:
    def __init__(self, title: str) -> None:
        self.title = title

    def __del__(self) -> None:
        where = "worker" if parent_process() else "parent"
        print(f"{where}: finalising a document titled {self.title!r}")
        self.title = "ups"  # nothing can read this: the object is being destroyed


def rename(doc: Document, new_title: str) -> str:
    doc.title = new_title
    return f"task set {new_title!r}"


if __name__ == "__main__":
    doc = Document("draft")
    pool = Pool(processes=1)
    results = pool.starmap(rename, [(doc, "first"), (doc, "second"), (doc, "third")])
    pool.close()
    pool.join()  # the worker has exited: everything it printed is above
    print("parent:", ", ".join(results))
    print("parent: reaching the end of the script")
