import time
from dataclasses import dataclass
from multiprocessing.pool import ThreadPool


@dataclass
class Document:
    title: str


def rename(doc: Document, new_title: str, delay: float) -> str:
    time.sleep(delay)  # start each task after the one before it has finished
    old_title = doc.title
    doc.title = new_title
    return f"found {old_title!r}, set {new_title!r}"


if __name__ == "__main__":
    doc = Document("draft")
    tasks = [(doc, "first", 0.0), (doc, "second", 0.3), (doc, "third", 0.6)]
    with ThreadPool(processes=3) as pool:  # threads share the parent's objects
        for line in pool.starmap(rename, tasks):
            print(line)
    print(f"the parent's document afterwards: {doc.title!r}")
