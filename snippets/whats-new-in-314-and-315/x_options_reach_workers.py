import subprocess
import sys
from multiprocessing import get_context


def limit() -> int:
    return sys.get_int_max_str_digits()


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:
        with get_context("spawn").Pool(processes=1) as pool:
            print(f"  parent: {limit()}, spawn worker: {pool.apply(limit)}")
    else:
        default = sys.int_info.default_max_str_digits
        print(f"python -X int_max_str_digits=5000 (the default limit is {default}):")
        option = ["-X", "int_max_str_digits=5000"]
        subprocess.run([sys.executable, *option, __file__, "child"], check=True)
