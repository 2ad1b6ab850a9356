import struct
from multiprocessing import Process, shared_memory

SLOT = struct.Struct("q")  # one signed 64-bit integer per worker
WORKERS = 4


def square_sum(name: str, me: int) -> None:
    block = shared_memory.SharedMemory(name=name)  # attach by name: no copy
    try:
        result = sum(n * n for n in range(me * 1000))
        SLOT.pack_into(block.buf, me * SLOT.size, result)  # write straight into it
    finally:
        block.close()  # this process is done with the mapping


if __name__ == "__main__":
    block = shared_memory.SharedMemory(create=True, size=WORKERS * SLOT.size)
    try:
        workers = [
            Process(target=square_sum, args=(block.name, me)) for me in range(WORKERS)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        print([SLOT.unpack_from(block.buf, me * SLOT.size)[0] for me in range(WORKERS)])

        view = block.buf[: SLOT.size]  # a slice of block.buf holds on to the mapping
        try:
            block.close()
        except BufferError as error:
            print(f"close() with a view still alive: BufferError: {error}")
        view.release()
    finally:
        block.close()
        block.unlink()  # once, by the owner: destroys the block

    try:
        shared_memory.SharedMemory(name=block.name)
    except FileNotFoundError:
        print("after unlink(), attaching by name raises FileNotFoundError")
