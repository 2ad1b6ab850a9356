from dataclasses import dataclass
from multiprocessing import Pool


@dataclass
class Document:
    title: str


def choose_title(word: str) -> str:
    # The slow part runs in a worker, on plain values; it changes no object.
    return f"{word} draft"


if __name__ == "__main__":
    doc = Document("draft")
    with Pool(processes=3) as pool:
        # imap yields results in task order; only the parent changes its object.
        for new_title in pool.imap(choose_title, ["first", "second", "third"]):
            old_title = doc.title
            doc.title = new_title
            print(f"found {old_title!r}, set {new_title!r}")
    print(f"the parent's document afterwards: {doc.title!r}")
