import multiprocessing
import socket
import sqlite3
import threading


class Service:
    """Stands for any class that keeps a resource in an attribute."""

    def __init__(self, resource) -> None:
        self.resource = resource


def use(service: Service) -> str:
    return f"the worker got a {type(service.resource).__name__}"


if __name__ == "__main__":
    resources = {
        "an open file": lambda: open("report.txt", "w"),  # noqa: SIM115 (kept open)
        "a threading.Lock": threading.Lock,
        "a sqlite3.Connection": lambda: sqlite3.connect("shop.db"),
        "a socket": lambda: socket.socketpair()[0],
        "a multiprocessing.Lock": multiprocessing.Lock,
    }
    with multiprocessing.Pool(processes=1) as pool:
        for label, make in resources.items():
            try:
                outcome = pool.apply(use, (Service(make()),))
            except Exception as error:
                outcome = f"{type(error).__name__}: {error}"
                notes = getattr(error, "__notes__", None)  # 3.14+: where it sat
                if notes:
                    path = [note.replace("when serializing ", "") for note in notes]
                    outcome += "\n    notes: " + " < ".join(path)
            print(f"Service holding {label}:\n    {outcome}")
