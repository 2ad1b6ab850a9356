import sqlite3
from collections import Counter
from multiprocessing import Pool, parent_process

OPENS_LOG = "opens.log"  # one line per connection opened, by any process


def connect(path: str) -> sqlite3.Connection:
    with open(OPENS_LOG, "a") as log:
        log.write("a worker\n" if parent_process() else "the parent\n")
    return sqlite3.connect(path)


class PriceList:
    def __init__(self, path: str) -> None:
        self.path = path
        self.conn = connect(path)

    def __getstate__(self) -> dict:
        return {"path": self.path}  # leave the connection behind

    def __setstate__(self, state: dict) -> None:
        self.path = state["path"]
        self.conn = connect(self.path)  # a new one wherever a copy is rebuilt

    def price(self, item: str) -> int:
        query = "SELECT cents FROM prices WHERE item = ?"
        return self.conn.execute(query, (item,)).fetchone()[0]


def price_of(prices: PriceList, item: str) -> int:
    return prices.price(item)


def fill(path: str) -> None:
    with sqlite3.connect(path) as db:  # commits at the end of the block
        db.execute("CREATE TABLE prices (item TEXT, cents INTEGER)")
        db.executemany(
            "INSERT INTO prices VALUES (?, ?)",
            [("tea", 250), ("scone", 320), ("jam", 410), ("cream", 180)],
        )
    db.close()


def run(chunksize: int) -> None:
    open(OPENS_LOG, "w").close()  # start counting afresh
    prices = PriceList("shop.db")
    items = ["tea", "scone", "jam", "cream", "tea", "jam"]
    with Pool(processes=2) as pool:
        tasks = [(prices, item) for item in items]
        cents = pool.starmap(price_of, tasks, chunksize=chunksize)
    with open(OPENS_LOG) as log:
        opened = Counter(line.strip() for line in log)
    print(f"chunksize={chunksize}: {cents}")
    print(
        f"    {len(items)} tasks on 2 workers opened {opened['a worker']} connections"
    )
    print(f"    (and the parent opened {opened['the parent']})")


if __name__ == "__main__":
    fill("shop.db")  # a file in the current directory
    run(chunksize=1)
    run(chunksize=3)
