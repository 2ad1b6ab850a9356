import multiprocessing

LABEL = "set at import"  # a module global that the task reads
METHODS = ("fork", "spawn", "forkserver")


class Document:
    pickled = 0  # pickles made in this process

    def __init__(self, title: str) -> None:
        self.title = title

    def __getstate__(self) -> dict:
        Document.pickled += 1
        return self.__dict__


def read_label(doc: Document) -> str:
    return LABEL  # not an argument: whatever this process's module holds


def do_nothing(doc: Document) -> None:
    pass


def run(ctx) -> tuple:
    doc = Document("draft")
    with ctx.Pool(processes=1) as pool:
        labels = pool.map(read_label, [doc, doc, doc], chunksize=1)
    task_pickles, Document.pickled = Document.pickled, 0
    child = ctx.Process(target=do_nothing, args=(doc,))
    child.start()
    child.join()
    process_pickles, Document.pickled = Document.pickled, 0
    return task_pickles, process_pickles, labels[0]


if __name__ == "__main__":
    LABEL = "changed by the parent"  # after import, before any worker starts
    print("                       pickles of doc for")
    print("start method           3 Pool tasks   1 Process   LABEL as the task read it")
    contexts = [(m, multiprocessing.get_context(m)) for m in METHODS]
    default = multiprocessing.get_context()  # what Pool() and Process() use
    contexts.append((f"default: {default.get_start_method()}", default))
    for name, ctx in contexts:
        tasks, process, label = run(ctx)
        print(f"{name:<22} {tasks:>12} {process:>11}   {label!r}")
