import re
import subprocess
import sys
from multiprocessing import get_context


def hello() -> str:
    return "the worker ran"


def child(on_error: str) -> None:
    ctx = get_context("forkserver")
    options = {} if on_error == "(not given)" else {"on_error": on_error}
    try:
        ctx.set_forkserver_preload(["no_such_module"], **options)
    except TypeError as error:
        print(f"TypeError: {error}")
        return
    with ctx.Pool(processes=1) as pool:
        print(pool.apply(hello))


if __name__ == "__main__":
    if len(sys.argv) == 2:
        child(sys.argv[1])
    else:
        # Each setting in a fresh interpreter, with a fork server of its own.
        for on_error in ("(not given)", "ignore", "warn", "fail"):
            command = [
                sys.executable,
                "-W",
                "default::ImportWarning",
                __file__,
                on_error,
            ]
            run = subprocess.run(command, capture_output=True, text=True)
            print(f"on_error={on_error}: exit status {run.returncode}")
            print(f"    stdout: {run.stdout.strip() or '(nothing)'}")
            # stderr: only the lines that name an exception or a warning
            named = r"^(?:\S+:\d+: )?(\w+(?:Error|Warning): .*)$"
            for line in re.findall(named, run.stderr, re.M):
                print(f"    stderr: {line}")
