import multiprocessing
import pickle
import socket
import threading


class Client:
    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn


def greet(client: Client) -> str:
    client.conn.sendall(b"hello from the worker\n")
    client.conn.close()
    return "worker: sent a line, then closed its socket"


if __name__ == "__main__":
    here, there = socket.socketpair()
    client = Client(there)
    try:
        pickle.dumps(client)
    except TypeError as error:
        print(f"pickle.dumps(client): TypeError: {error}")
    print(f"parent: threads before the task: {threading.active_count()}")
    with multiprocessing.Pool(processes=1) as pool:
        print(pool.apply(greet, (client,)))
    client.conn.sendall(b"hello from the parent\n")  # the parent's socket is open
    print(here.recv(100).decode(), end="")
    print(f"parent: threads after the pool closed: {threading.active_count()}")
