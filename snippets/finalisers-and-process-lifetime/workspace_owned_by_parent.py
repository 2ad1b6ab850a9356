import multiprocessing
import os
import shutil
import sys
import tempfile
import weakref
from pathlib import Path


def remove_if_owner(path: Path, owner_pid: int) -> None:
    if os.getpid() == owner_pid:  # in any other process, do nothing
        shutil.rmtree(path, ignore_errors=True)


class Workspace:
    """A scratch directory that only the creating process removes."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp())
        (self.path / "input.txt").write_text("data")
        self._cleanup = weakref.finalize(self, remove_if_owner, self.path, os.getpid())

    def __getstate__(self) -> dict:
        return {"path": self.path}  # a pickled copy gets the path, not the cleanup

    def __setstate__(self, state: dict) -> None:
        self.path = state["path"]
        self._cleanup = None


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
        sys.exit(0)  # the child's exit runs the finalizer it inherited
    os.waitpid(child, 0)
    report("os.fork, child exited", workspace)

    for method in ("fork", "spawn", "forkserver"):
        pool = multiprocessing.get_context(method).Pool(processes=1)
        data = pool.apply(read_input, (workspace,))
        pool.close()
        pool.join()
        report(f"{method} pool, the task read {data!r}", workspace)

    path = workspace.path
    del workspace  # the owner drops its last reference: the finalizer runs
    print(f"after del in the parent, the directory exists: {path.exists()}")
