import multiprocessing
from pathlib import Path

LOG = Path("top_level_runs.log")  # a constant: harmless to define again


def square(n: int) -> int:  # a definition: the workers need it
    return n * n


# A side effect at the top level: it happens in every process that runs this file.
who = multiprocessing.current_process().name
if __name__ == "__mp_main__" and who == "MainProcess":
    who = "the fork server"
with LOG.open("a") as log:
    log.write(who + "\n")

if __name__ == "__main__":
    for method in ("fork", "spawn", "forkserver"):
        LOG.write_text("")
        pool = multiprocessing.get_context(method).Pool(processes=2)
        pool.map(square, range(10))
        pool.close()
        pool.join()  # every worker has started and exited
        again = ", ".join(sorted(LOG.read_text().splitlines())) or "no process"
        print(f"{method:>10} pool: the top level ran again in: {again}")
