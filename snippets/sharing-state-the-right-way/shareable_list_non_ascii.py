from multiprocessing.shared_memory import ShareableList


def stored(value: str) -> tuple:
    board = ShareableList([value])  # the slot is sized from this first value
    try:
        try:
            back = repr(board[0])
        except UnicodeDecodeError as error:
            back = f"UnicodeDecodeError: {error.reason}"
        return board.format, back
    finally:
        board.shm.close()
        board.shm.unlink()


if __name__ == "__main__":
    print(f"{'first value':<12} {'chars':>5} {'bytes':>5} {'format':>6}  read back")
    for value in ["waiting", "wäiting", "ééééé", "aéééé", "αβγδεζη"]:
        size = len(value.encode("utf-8"))
        layout, back = stored(value)
        print(f"{value!r:<12} {len(value):>5} {size:>5} {layout:>6}  {back}")

    board = ShareableList(["waiting"])  # an 8-byte slot
    try:
        board[0] = "ééééé"  # 10 bytes: an assignment counts bytes
    except ValueError as error:
        print(f"board[0] = 'ééééé' later: ValueError: {error}")
    finally:
        board.shm.close()
        board.shm.unlink()

    board = ShareableList([" " * 16])  # a placeholder: 16 ASCII bytes, a 24-byte slot
    try:
        board[0] = "αβγδεζη"  # 14 bytes fit
        print(f"placeholder first, then assigned: {board[0]!r}")
    finally:
        board.shm.close()
        board.shm.unlink()
