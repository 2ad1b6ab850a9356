from multiprocessing import Pool, parent_process


class Document:
    pickled = 0  # counts pickles made in this process
    unpickled = 0  # counts copies rebuilt in this process

    def __init__(self, title: str) -> None:
        self.title = title

    def __getstate__(self) -> dict:
        Document.pickled += 1
        return {"title": self.title}

    def __setstate__(self, state: dict) -> None:
        Document.unpickled += 1
        self.title = state["title"]


def rename(doc: Document, new_title: str) -> str:
    old_title = doc.title
    doc.title = new_title
    where = "a worker" if parent_process() else "the parent"
    return f"{where} found {old_title!r} in copy no. {Document.unpickled} it unpickled"


if __name__ == "__main__":
    doc = Document("draft")
    tasks = [(doc, "first"), (doc, "second"), (doc, "third")]
    with Pool(processes=1) as pool:  # a single worker runs all three tasks
        for line in pool.starmap(rename, tasks):
            print(line)
    print(f"the parent pickled the document {Document.pickled} times")
    print(f"the parent's document afterwards: {doc.title!r}")
