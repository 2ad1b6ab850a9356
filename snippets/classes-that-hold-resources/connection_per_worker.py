import sqlite3
from collections import Counter
from multiprocessing import Pool, parent_process

OPENS_LOG = "opens.log"  # one line per connection opened, by any process
conn = None  # each worker's own connection, opened by the initializer


def connect(path: str) -> sqlite3.Connection:
    with open(OPENS_LOG, "a") as log:
        log.write("a worker\n" if parent_process() else "the parent\n")
    return sqlite3.connect(path)


def open_connection(path: str) -> None:
    global conn
    conn = connect(path)


def price_of(item: str) -> int:
    query = "SELECT cents FROM prices WHERE item = ?"
    return conn.execute(query, (item,)).fetchone()[0]


def fill(path: str) -> None:
    with sqlite3.connect(path) as db:  # commits at the end of the block
        db.execute("CREATE TABLE prices (item TEXT, cents INTEGER)")
        db.executemany(
            "INSERT INTO prices VALUES (?, ?)",
            [("tea", 250), ("scone", 320), ("jam", 410), ("cream", 180)],
        )
    db.close()


if __name__ == "__main__":
    fill("shop.db")  # a file in the current directory
    items = ["tea", "scone", "jam", "cream", "tea", "jam"]
    with Pool(2, initializer=open_connection, initargs=("shop.db",)) as pool:
        print(pool.map(price_of, items, chunksize=1))
        pool.close()  # let every worker finish starting, rather than terminate()
        pool.join()
    with open(OPENS_LOG) as log:
        opened = Counter(line.strip() for line in log)
    print(f"{len(items)} tasks on 2 workers opened {opened['a worker']} connections")
    print(f"(and the parent opened {opened['the parent']})")
