import multiprocessing
import os
import shutil
import sys
import tempfile
from pathlib import Path


class Workspace:
    """A scratch directory that removes itself when the object goes away."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp())
        (self.path / "input.txt").write_text("data")

    def __del__(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def read_input(workspace: Workspace) -> str:
    return (workspace.path / "input.txt").read_text()


def report(how: str, workspace: Workspace) -> None:
    try:
        (workspace.path / "output.txt").write_text("result")
        print(f"{how}: the parent wrote its output")
    except FileNotFoundError:
        print(f"{how}: the parent's workspace is gone")


if __name__ == "__main__":
    workspace = Workspace()
    child = os.fork()
    if child == 0:
        sys.exit(0)  # a normal exit finalises the child's objects
    os.waitpid(child, 0)
    report("os.fork, child exited", workspace)

    for method in ("fork", "spawn"):
        workspace = Workspace()
        pool = multiprocessing.get_context(method).Pool(processes=1)
        data = pool.apply(read_input, (workspace,))
        pool.close()
        pool.join()
        report(f"{method} pool, the task read {data!r}", workspace)
