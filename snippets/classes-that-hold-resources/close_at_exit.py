import atexit
import multiprocessing
import sqlite3
from pathlib import Path

LOG = Path("connections.log")  # one line per connection opened or closed
conn = None  # each worker's own connection


def note(event: str) -> None:
    with LOG.open("a") as log:
        log.write(event + "\n")


def close_connection() -> None:
    conn.close()
    note("closed")


def open_connection(path: str) -> None:
    global conn
    conn = sqlite3.connect(path)
    note("opened")
    atexit.register(close_connection)  # runs if the worker exits normally


def count(table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


if __name__ == "__main__":
    with sqlite3.connect("shop.db") as db:
        db.execute("CREATE TABLE prices (item TEXT, cents INTEGER)")
    db.close()
    for method in ("fork", "spawn", "forkserver"):
        LOG.write_text("")
        ctx = multiprocessing.get_context(method)
        pool = ctx.Pool(2, initializer=open_connection, initargs=("shop.db",))
        pool.map(count, ["prices"] * 4)
        pool.close()
        pool.join()  # the workers exit normally: no terminate()
        events = LOG.read_text().split()
        opened, closed = events.count("opened"), events.count("closed")
        print(f"{method:>10}: {opened} connections opened, {closed} closed at exit")
