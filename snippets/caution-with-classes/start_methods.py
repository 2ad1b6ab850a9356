import multiprocessing
from dataclasses import dataclass


@dataclass
class Document:
    title: str


def rename(doc: Document, new_title: str) -> str:
    old_title = doc.title
    doc.title = new_title
    return f"found {old_title!r}"


if __name__ == "__main__":
    doc = Document("draft")
    tasks = [(doc, "first"), (doc, "second"), (doc, "third")]
    for method in ("fork", "spawn", "forkserver"):
        # get_context leaves the global start method alone.
        with multiprocessing.get_context(method).Pool(processes=1) as pool:
            seen = pool.starmap(rename, tasks)
        print(f"{method:>10}: {', '.join(seen)}")
