from multiprocessing import Process
from multiprocessing.shared_memory import ShareableList


def report(name: str, me: int) -> None:
    board = ShareableList(name=name)  # attach to the parent's list by name
    try:
        board[me] = f"done {me}"
        board[-1] += 1  # read, then write: no lock, so only safe with one writer
    finally:
        board.shm.close()


if __name__ == "__main__":
    board = ShareableList(["waiting", "waiting", 0])
    try:
        worker = Process(target=report, args=(board.shm.name, 0))
        worker.start()
        worker.join()
        worker = Process(target=report, args=(board.shm.name, 1))
        worker.start()
        worker.join()
        print(f"after two workers: {list(board)}")

        try:
            board[0] = "finished without errors"
        except ValueError as error:
            print(f"a longer string: ValueError: {error}")
        board[0] = "finished"  # 8 bytes: fits the slot "waiting" reserved
        board[2] = b"ok\x00\x00"  # a slot takes any type that fits its size
        print(f"after two assignments: {list(board)}")
        print(f"has append(): {hasattr(board, 'append')}, length fixed at {len(board)}")
    finally:
        board.shm.close()
        board.shm.unlink()
