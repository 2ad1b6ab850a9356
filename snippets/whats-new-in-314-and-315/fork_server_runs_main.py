import multiprocessing
import os
from pathlib import Path

LOG = Path("who_ran_the_top_level.log")
with LOG.open("a") as log:  # every process that runs this file's top level
    log.write(f"{os.getpid()} {__name__}\n")


def parent_pid() -> int:
    return os.getppid()


if __name__ == "__main__":
    ctx = multiprocessing.get_context("forkserver")
    with ctx.Pool(processes=3) as pool:
        server = pool.apply(parent_pid)  # a forkserver worker's parent is the server
        pool.close()
        pool.join()
    for line in LOG.read_text().splitlines():
        pid, module = line.split()
        who = {os.getpid(): "this script", server: "the fork server"}
        print(f"{who.get(int(pid), 'a pool worker'):<16} ran the top level as {module}")
