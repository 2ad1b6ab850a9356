import tempfile
import time
from multiprocessing import Pool, parent_process
from pathlib import Path


class Document:
    def __init__(self, title: str, log: Path) -> None:
        self.title = title
        self.log = log  # a file the worker's finaliser appends to

    def __del__(self) -> None:
        if parent_process() is not None:  # in a worker
            with self.log.open("a") as log:
                log.write(f"{self.title}\n")


def rename(doc: Document, new_title: str, seconds: float = 0.0) -> str:
    doc.title = new_title
    time.sleep(seconds)
    return new_title


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder, "finalised.txt")
        log.write_text("")
        doc = Document("draft", log)
        tasks = [(doc, "first"), (doc, "second"), (doc, "third")]
        with Pool(processes=1) as pool:
            pool.starmap(rename, tasks)
        # terminate() has killed and joined the worker: the log is complete.
        print(f"3 tasks, then the block's exit: finalised {log.read_text().split()}")

        log.write_text("")
        with Pool(processes=1) as pool:
            pool.apply_async(rename, (doc, "interrupted", 5.0))
            time.sleep(1.0)  # the task is running when the block ends
        print(
            f"a task running at the block's exit: finalised {log.read_text().split()}"
        )
