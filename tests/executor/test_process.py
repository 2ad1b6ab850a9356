"""Running one script: output, limits, and that nothing of a run outlives it.

Processes are found by scanning /proc for a marker in their environment, not
by trusting exit codes. Most behaviours are checked with the sandbox (bwrap)
and without it ("plain": a process group of its own).
"""

from __future__ import annotations

import concurrent.futures
import errno
import os
import resource
import signal
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from snippet_runner.executor import process
from snippet_runner.executor.process import (
    Limits,
    RunResult,
    Stopped,
    Supervisor,
    _CappedOutput,
    install_signal_handlers,
    run_environment,
)
from snippet_runner.executor.sandbox import bwrap_command

from .locales import ascii_locale  # noqa: F401 - the fixture, found by name
from .test_sandbox import _kill_marked, _marked, _wait_gone, _wait_marked, needs_bwrap

REPO = Path(__file__).resolve().parents[2]
SID_ROOT = Path("/root/.cache/pickled-state/debian-sid")

#: The real interpreter, not the virtualenv's link to it: a clone under /tmp (where CI may
#: put it) is hidden inside the sandbox, whose /tmp is private.
PYTHON = os.path.realpath(sys.executable)


def modes(sandboxed=(), plain=()) -> list:
    """Parameters for a test run with the sandbox and without it ("plain")."""
    return [
        pytest.param(True, *sandboxed, id="sandbox", marks=needs_bwrap),
        pytest.param(False, *plain, id="plain"),
    ]


MODES = modes()


@pytest.fixture
def runs(tmp_path):
    """The folder where a supervisor makes run folders; it must be empty after each test."""
    folder = tmp_path / "runs"
    folder.mkdir()
    yield folder
    assert list(folder.iterdir()) == [], "a run left its folder behind"


@pytest.fixture
def supervisor(runs):
    with Supervisor(tmp_root=str(runs)) as supervisor:
        yield supervisor


@pytest.fixture
def marker():
    """A unique marker for the environment of a test's runs; leftovers are killed."""
    value = uuid.uuid4().hex
    yield value
    _kill_marked(value)


def run(supervisor, code, *, marker="-", sandbox=True, **options) -> RunResult:
    options = {
        "name": "snippet.py",
        "timeout": 10,
        "python": PYTHON,
        "env": {**run_environment(), "MARK": marker},
        **options,
    }
    return supervisor.run(code, sandbox=sandbox, **options)


POOL_THAT_HANGS = """\
import sys, time
from multiprocessing import get_context

def sleep_forever(_):
    sys.stdout.write("working\\n")  # one write: the two workers' lines never mix
    time.sleep(600)

if __name__ == "__main__":
    print("starting", flush=True)
    with get_context("fork").Pool(2) as pool:
        pool.map(sleep_forever, [1, 2], chunksize=1)
"""

DAEMON = """\
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(600)  # the daemon: its own session, holding the pipes
    os._exit(0)
time.sleep(0.2)
print("parent leaves")
"""


# -- processes ---------------------------------------------------------------------


@pytest.mark.parametrize("sandbox", MODES)
def test_timeout_kills_the_whole_tree(supervisor, marker, sandbox):
    result = run(supervisor, POOL_THAT_HANGS, marker=marker, sandbox=sandbox, timeout=1)
    assert (result.timed_out, result.returncode, result.timeout) == (True, None, 1)
    assert result.stdout == "starting\nworking\nworking\n"
    assert 1 <= result.seconds < 2
    assert _wait_gone(marker) == [], "pool workers survived the timeout"


@pytest.mark.parametrize("sandbox", MODES)
def test_no_process_survives_a_script_that_exits(supervisor, marker, sandbox):
    code = (
        "import subprocess\nsubprocess.Popen(['sleep', '600'])\nprint('leaving a sleep behind')\n"
    )
    start = time.monotonic()
    result = run(supervisor, code, marker=marker, sandbox=sandbox)
    # The sleep holds the pipes: it is killed at the script's exit, not
    # waited for until the drain time is up.
    assert time.monotonic() - start - result.seconds < 0.25
    assert (result.returncode, result.timed_out, result.stdout) == (
        0,
        False,
        "leaving a sleep behind\n",
    )
    assert _wait_gone(marker) == [], "the orphaned sleep survived"


@needs_bwrap
def test_a_daemon_does_not_survive_the_sandbox(supervisor, marker):
    result = run(supervisor, DAEMON, marker=marker)
    assert (result.returncode, result.stdout) == (0, "parent leaves\n")
    # bwrap waits for the sandbox's init, whose exit ends the PID namespace:
    # nothing is left the moment run() returns.
    assert _marked(marker) == []


@needs_bwrap
def test_the_init_kills_nothing_unless_it_is_pid_1():
    # The init's kill(-1) would reach every process the user may signal if it
    # ran as anything but pid 1 of its own namespace. Here it runs as pid 4 of
    # a namespace (so that even a broken guard could only hurt that one),
    # next to a sentinel: the sentinel must survive it.
    python = PYTHON
    shell = f'sleep 30 & {python} -I -S -c "$INIT" {python} -c "print(7)"; kill -0 $! && echo alive'
    env = {"PATH": "/usr/bin:/bin", "INIT": process._INIT}
    argv = bwrap_command(["sh", "-c", shell], workdir=None, env=env)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    assert (done.stdout, done.stderr) == ("7\nalive\n", "")


def test_without_the_sandbox_a_setsid_daemon_escapes_but_the_run_returns(supervisor, marker):
    # The documented gap of the plain runner: the daemon leaves the process
    # group. The run must still return, although the daemon holds the pipes.
    start = time.monotonic()
    result = run(supervisor, DAEMON, marker=marker, sandbox=False)
    # Half a second of draining after the script's exit, then the run returns.
    assert 0.5 <= time.monotonic() - start - result.seconds < 1
    assert (result.returncode, result.stdout) == (0, "parent leaves\n")
    assert len(_marked(marker)) == 1  # the daemon; the marker fixture kills it


@pytest.mark.parametrize("sandbox", MODES)
def test_exit_code_and_stderr_are_captured(supervisor, sandbox):
    result = run(
        supervisor, "import sys\nprint('out')\nsys.exit('boom on stderr')\n", sandbox=sandbox
    )
    assert (result.returncode, result.stdout, result.stderr) == (1, "out\n", "boom on stderr\n")
    assert (result.timed_out, result.timeout) == (False, 10)
    assert 0 < result.seconds < 5


@pytest.mark.parametrize(("sandbox", "returncode"), modes([128 + 9], [-9]))
def test_a_script_killed_by_a_signal(supervisor, sandbox, returncode):
    result = run(
        supervisor, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", sandbox=sandbox
    )
    assert (result.returncode, result.timed_out) == (returncode, False)


def test_huge_output_is_cut_with_a_note(supervisor):
    result = run(
        supervisor, "import sys\nfor _ in range(200_000): sys.stdout.write('x' * 99 + '\\n')\n"
    )
    assert len(result.stdout) == 65_500 + len(
        "[output cut by the build: 20,000,000 bytes in all, the first 65,500 shown]\n"
    )
    assert result.stdout.endswith(
        "x\n[output cut by the build: 20,000,000 bytes in all, the first 65,500 shown]\n"
    )


def test_each_stream_has_its_own_limit(supervisor):
    code = "import sys\nprint('a' * 9)\nprint('b' * 9)\nprint('c' * 30, file=sys.stderr)\n"
    result = run(supervisor, code, limit=15)
    assert (
        result.stdout
        == "aaaaaaaaa\n[output cut by the build: 20 bytes in all, the first 10 shown]\n"
    )
    assert result.stderr == (
        "ccccccccccccccc\n[output cut by the build: 31 bytes in all, the first 15 shown]\n"
    )


def test_capped_output_boundaries():
    exact = _CappedOutput(4)
    exact.feed(b"ab\n")
    exact.feed(b"c")
    assert (exact.text(), exact.total, bytes(exact.kept)) == ("ab\nc", 4, b"ab\nc")
    over = _CappedOutput(4)
    over.feed(b"ab\ncd")
    over.feed(b"e\n")
    assert (over.total, bytes(over.kept)) == (7, b"ab\nc")
    assert over.text() == "ab\n[output cut by the build: 7 bytes in all, the first 3 shown]\n"
    # A run stopped mid-line gets its line ended, so `...` lines can match it.
    assert exact.text(stopped=True) == "ab\nc\n"
    assert _CappedOutput(4).text(stopped=True) == ""
    ended = _CappedOutput(9)
    ended.feed(b"ab\n")
    assert ended.text(stopped=True) == "ab\n"
    # One line past the limit: shown up to the limit, the note on a line of its own.
    long_line = _CappedOutput(4)
    long_line.feed(b"abcdef")
    note = "[output cut by the build: 6 bytes in all, the first 4 shown]\n"
    assert long_line.text() == long_line.text(stopped=True) == f"abcd\n{note}"


def test_non_utf8_bytes_are_escaped_not_fatal(supervisor):
    result = run(supervisor, "import sys\nsys.stdout.buffer.write(b'caf\\xe9\\n')\n")
    assert result.stdout == "caf\\xe9\n"


# -- the environment ----------------------------------------------------------------


def test_run_environment():
    assert run_environment(width=72) == {
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp/snippet",
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONUNBUFFERED": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "NO_COLOR": "1",
        "PYTHON_COLORS": "0",
        "TERM": "dumb",
        "COLUMNS": "72",
    }
    assert run_environment()["COLUMNS"] == "80"


ENVIRONMENT = """\
import os, sys
print(sorted(os.environ.items()))
print(os.getcwd(), sys.stdout.encoding, __name__, os.path.basename(__file__))
"""


@needs_bwrap
def test_the_environment_is_fixed_by_the_project(supervisor, monkeypatch):
    monkeypatch.setenv("PYTHONHASHSEED", "123")
    monkeypatch.setenv("AUTHOR_SECRET", "x")
    env = run_environment()
    result = supervisor.run(ENVIRONMENT, name="demo.py", timeout=10, python=PYTHON, env=env)
    environ, rest = result.stdout.splitlines()
    # bwrap adds PWD for --chdir; nothing else comes from the build's environment.
    assert environ == str(sorted({**env, "PWD": "/tmp/snippet"}.items()))
    assert rest == "/tmp/snippet utf-8 __main__ demo.py"


def test_without_the_sandbox_home_and_tmpdir_are_the_run_folder(supervisor, runs, monkeypatch):
    monkeypatch.setenv("AUTHOR_SECRET", "x")
    env = run_environment()
    result = supervisor.run(
        ENVIRONMENT, name="demo.py", timeout=10, python=PYTHON, env=env, sandbox=False
    )
    environ, rest = result.stdout.splitlines()
    folder, encoding_name_file = rest.split(" ", 1)
    assert Path(folder).parent == runs and Path(folder).name.startswith("snippet-")
    assert environ == str(sorted({**env, "HOME": folder, "TMPDIR": folder}.items()))
    assert encoding_name_file == "utf-8 __main__ demo.py"


@pytest.mark.parametrize("sandbox", MODES)
def test_concurrent_runs_keep_their_own_output(supervisor, sandbox):
    code = "import sys, time\nprint(sys.argv[0])\ntime.sleep(0.1)\nprint('done', file=sys.stderr)\n"
    names = [f"run{index}.py" for index in range(8)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(
            pool.map(lambda name: run(supervisor, code, name=name, sandbox=sandbox), names)
        )
    assert [(r.stdout, r.stderr, r.returncode) for r in results] == [
        (f"{name}\n", "done\n", 0) for name in names
    ]


def test_a_run_that_cannot_start_leaves_nothing(supervisor):
    with pytest.raises(FileNotFoundError):
        run(supervisor, "print(1)", bwrap="/nonexistent/bwrap")
    # The runs fixture checks that its folder was removed.


def test_bad_arguments_are_refused(supervisor):
    for name in ["", ".", "..", "a/b.py"]:
        with pytest.raises(ValueError) as error:
            run(supervisor, "", name=name)
        assert str(error.value) == f"the script name must be a plain file name, not {name!r}"
    with pytest.raises(ValueError, match=r"^a root filesystem \(/srv/sid\) needs the sandbox$"):
        run(supervisor, "", root="/srv/sid", sandbox=False)


# -- the sandbox, through a supervisor ---------------------------------------------


@needs_bwrap
def test_the_repository_and_host_files_cannot_be_written(supervisor, tmp_path):
    repo_target = Path(__file__).with_name(f"written-by-snippet-{uuid.uuid4().hex}")
    host_target = tmp_path / "host.txt"
    code = textwrap.dedent(f"""\
        for path in [{str(repo_target)!r}, {str(host_target)!r}, "mine.txt"]:
            try:
                open(path, "w").write("x")
                print("wrote", path)
            except OSError as error:
                print(type(error).__name__, error.errno)
    """)
    try:
        result = run(supervisor, code)
        # Read-only root (EROFS); the host's /tmp is not even there (ENOENT), nor is a
        # repository cloned under /tmp.
        repo = "FileNotFoundError 2" if str(repo_target).startswith("/tmp/") else "OSError 30"
        assert result.stdout == f"{repo}\nFileNotFoundError 2\nwrote mine.txt\n"
        assert not repo_target.exists() and not host_target.exists()
    finally:
        repo_target.unlink(missing_ok=True)


NETWORK = """\
import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2)
    print("connected")
except OSError as error:
    print(type(error).__name__)
try:
    socket.gethostbyname("example.com")
except OSError as error:
    print(type(error).__name__)
"""


@pytest.mark.parametrize(("sandbox", "expected"), modes(["ConnectionRefusedError"], ["connected"]))
def test_no_network_in_the_sandbox(supervisor, sandbox, expected):
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        result = run(supervisor, NETWORK.format(port=port), sandbox=sandbox)
    assert result.stdout.splitlines()[0] == expected
    if sandbox:
        assert result.stdout.splitlines()[1] == "gaierror"


MULTIPROCESSING = """\
import multiprocessing as mp
from multiprocessing import shared_memory

def square(x):
    return x * x

def bump(counter, lock):
    with lock:
        counter.value += 1

if __name__ == "__main__":
    for method in ("fork", "spawn", "forkserver"):
        ctx = mp.get_context(method)
        with ctx.Pool(2) as pool:
            squares = pool.map(square, [1, 2, 3])
        lock, counter = ctx.Lock(), ctx.Value("i", 0)
        workers = [ctx.Process(target=bump, args=(counter, lock)) for _ in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        shm = shared_memory.SharedMemory(create=True, size=8)
        shm.buf[0] = 42
        other = shared_memory.SharedMemory(name=shm.name)
        seen = other.buf[0]
        other.close()
        shm.close()
        shm.unlink()
        print(method, squares, counter.value, seen)
"""

MP_OUTPUT = "fork [1, 4, 9] 3 42\nspawn [1, 4, 9] 3 42\nforkserver [1, 4, 9] 3 42\n"


@pytest.mark.parametrize("sandbox", MODES)
def test_multiprocessing_works_under_every_start_method(sandbox):
    # The system's temporary folder, not pytest's: without the sandbox TMPDIR is
    # the run folder, and forkserver's socket path must fit in 107 bytes.
    with Supervisor() as supervisor:
        result = run(supervisor, MULTIPROCESSING, sandbox=sandbox, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, MP_OUTPUT, "")


def _sid_python() -> str | None:
    for minor in ("3.15", "3.14", "3.13"):
        if (SID_ROOT / f"usr/bin/python{minor}").is_file():
            return f"/usr/bin/python{minor}"
    return None


@needs_bwrap
@pytest.mark.skipif(_sid_python() is None, reason=f"no Debian-sid root filesystem at {SID_ROOT}")
def test_a_rootfs_interpreter_runs_multiprocessing(supervisor):
    python = _sid_python()
    code = MULTIPROCESSING.replace(
        'if __name__ == "__main__":\n',
        'if __name__ == "__main__":\n    import sys\n    print(sys.executable)\n',
    )
    result = run(supervisor, code, python=python, root=str(SID_ROOT), timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{python}\n{MP_OUTPUT}", "")


# -- limits -----------------------------------------------------------------------

LIMITS = """\
import resource
print(resource.getrlimit(resource.RLIMIT_AS), resource.getrlimit(resource.RLIMIT_CPU))
"""


@pytest.mark.parametrize("sandbox", MODES)
def test_limits_are_set_exactly(supervisor, sandbox):
    limited = run(supervisor, LIMITS, sandbox=sandbox, rlimits=Limits(memory_mb=300, cpu_seconds=7))
    assert limited.stdout == f"{(300 << 20, 300 << 20)} (7, 8)\n"
    unlimited = run(supervisor, LIMITS, sandbox=sandbox)
    ours = resource.getrlimit(resource.RLIMIT_AS), resource.getrlimit(resource.RLIMIT_CPU)
    assert unlimited.stdout == f"{ours[0]} {ours[1]}\n"
    assert process._limiter(Limits()) is None


@pytest.mark.parametrize("sandbox", MODES)
def test_memory_past_the_limit_fails_with_memoryerror(supervisor, sandbox):
    code = textwrap.dedent("""\
        try:
            bytearray(400 << 20)
        except MemoryError:
            print("MemoryError")
        print(len(bytearray(50 << 20)))
    """)
    result = run(supervisor, code, sandbox=sandbox, rlimits=Limits(memory_mb=300))
    assert (result.returncode, result.stdout) == (0, f"MemoryError\n{50 << 20}\n")


@pytest.mark.parametrize(("sandbox", "returncode"), modes([128 + 24], [-24]))
def test_spinning_past_the_cpu_limit_is_killed(supervisor, sandbox, returncode):
    result = run(
        supervisor, "while True:\n    pass\n", sandbox=sandbox, rlimits=Limits(cpu_seconds=1)
    )
    assert (result.returncode, result.timed_out) == (returncode, False)  # SIGXCPU
    assert 1 <= result.seconds < 5  # wall clock: more on a busy machine
    # The kernel checks the limit at its ticks, and accounts CPU time coarsely under load.
    assert 0.5 <= result.cpu_seconds < 2.0


CPU_IN_A_WORKER = """\
import time
from multiprocessing import get_context

def spin(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass

if __name__ == "__main__":
    process = get_context("fork").Process(target=spin, args=(0.2,))
    process.start()
    spin(0.1)
    process.join()
"""


@pytest.mark.parametrize("sandbox", MODES)
def test_cpu_seconds_count_the_workers(supervisor, sandbox):
    result = run(supervisor, CPU_IN_A_WORKER, sandbox=sandbox)
    assert result.returncode == 0
    assert 0.3 <= result.cpu_seconds < 0.7


SPINNING_DAEMON = """\
import os, time
ready, spun = os.pipe()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while time.process_time() < 0.3:
            pass
        os.write(spun, b"x")  # 0.3 s of CPU used: the script may leave
        while True:
            pass
    os._exit(0)
os.read(ready, 1)
"""


@needs_bwrap
def test_cpu_seconds_count_a_daemon_killed_with_the_sandbox(supervisor):
    result = run(supervisor, SPINNING_DAEMON)
    # Killed and reaped by the sandbox's init when the script left: it counts.
    assert result.returncode == 0
    assert 0.3 <= result.cpu_seconds < 1


# -- stopping -------------------------------------------------------------------------


@pytest.mark.parametrize("sandbox", MODES)
def test_kill_all_from_another_thread_stops_a_run_at_once(supervisor, runs, marker, sandbox):
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(
            run, supervisor, POOL_THAT_HANGS, marker=marker, sandbox=sandbox, timeout=30
        )
        assert len(_wait_marked(marker, count=3)) >= 3  # the script and its two workers
        assert len(list(runs.iterdir())) == 1
        start = time.monotonic()
        supervisor.kill_all()
        assert list(runs.iterdir()) == []  # removed by kill_all itself
        error = future.exception(timeout=5)
        assert time.monotonic() - start < 1
    assert isinstance(error, Stopped)
    assert str(error) == "snippet.py was killed: the build is stopping"
    assert _wait_gone(marker, seconds=1) == []
    assert list(runs.iterdir()) == []
    with pytest.raises(Stopped, match=r"^late\.py was not started: the build is stopping$"):
        run(supervisor, "print(1)", name="late.py")


def test_a_supervisor_used_as_a_context_manager_stops_at_the_end(runs):
    with Supervisor(tmp_root=str(runs)) as supervisor:
        assert run(supervisor, "print(1)", sandbox=False).stdout == "1\n"
    with pytest.raises(Stopped):
        run(supervisor, "print(1)", sandbox=False)


def test_signal_handlers_kill_the_runs_then_stop_the_build(supervisor):
    previous = signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)
    restore = install_signal_handlers(supervisor)
    try:
        handler = signal.getsignal(signal.SIGTERM)
        assert signal.getsignal(signal.SIGINT) is handler and handler not in previous
        with pytest.raises(SystemExit) as exit_:
            handler(signal.SIGTERM, None)
        assert exit_.value.code == 143
        with pytest.raises(KeyboardInterrupt):
            handler(signal.SIGINT, None)
        with pytest.raises(Stopped):  # the handler called kill_all
            run(supervisor, "print(1)", sandbox=False)
    finally:
        restore()
    assert (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT)) == previous


def test_restoring_a_handler_python_did_not_install_restores_the_default(supervisor, monkeypatch):
    calls = []
    monkeypatch.setattr(process.signal, "signal", lambda *args: calls.append(args))
    install_signal_handlers(supervisor)()
    assert calls[2:] == [(signal.SIGTERM, signal.SIG_DFL), (signal.SIGINT, signal.SIG_DFL)]


BUILD = """\
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from snippet_runner.executor.process import Supervisor, install_signal_handlers, run_environment


code, runs, marker, sandbox = sys.argv[1:]
supervisor = Supervisor(tmp_root=runs)
install_signal_handlers(supervisor)
env = {**run_environment(), "MARK": marker}
with ThreadPoolExecutor(2) as pool:
    futures = [
        pool.submit(supervisor.run, code, name="s.py", timeout=60,
                    python=os.path.realpath(sys.executable),
                    env=env, sandbox=sandbox == "sandbox")
        for _ in range(2)
    ]
    for future in futures:
        future.result()
"""


@pytest.mark.parametrize("sandbox", MODES)
@pytest.mark.parametrize(
    ("signum", "returncode"), [(signal.SIGTERM, 143), (signal.SIGINT, -signal.SIGINT)]
)
def test_a_signal_to_the_build_kills_every_run(runs, marker, sandbox, signum, returncode):
    mode = "sandbox" if sandbox else "plain"
    build = subprocess.Popen(
        [sys.executable, "-c", BUILD, POOL_THAT_HANGS, str(runs), marker, mode],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Two runs, each a script and its two pool workers.
        assert len(_wait_marked(marker, count=6)) >= 6
        start = time.monotonic()
        build.send_signal(signum)
        assert build.wait(timeout=5) == returncode
        assert time.monotonic() - start < 1
        assert _wait_gone(marker, seconds=1) == []
        assert list(runs.iterdir()) == []
    finally:
        build.kill()
        build.communicate()


# -- what survived mutation testing ---------------------------------------------------


@pytest.mark.usefixtures("ascii_locale")
def test_the_script_is_written_as_utf8_whatever_the_locale(supervisor):
    assert run(supervisor, "print('naïve → ok')\n", sandbox=False).stdout == "naïve → ok\n"


def test_a_script_never_reads_the_builds_stdin(supervisor):
    read, write = os.pipe()
    os.write(write, b"what the build was given\n")
    os.close(write)
    saved = os.dup(0)
    os.dup2(read, 0)
    os.close(read)
    try:
        result = run(supervisor, "import sys\nprint(repr(sys.stdin.read()))\n", sandbox=False)
    finally:
        os.dup2(saved, 0)
        os.close(saved)
    assert result.stdout == "''\n"


@needs_bwrap
def test_a_script_named_like_a_module_the_sandbox_init_imports(supervisor):
    # The init runs isolated (-I): the script's folder is not on its sys.path.
    result = run(supervisor, "print('hello')\n", name="signal.py")
    assert (result.returncode, result.stdout, result.stderr) == (0, "hello\n", "")


@pytest.mark.parametrize("sandbox", MODES)
def test_a_line_cut_short_by_the_timeout_is_ended(supervisor, sandbox):
    code = "import sys, time\nsys.stdout.write('working')\nsys.stdout.flush()\ntime.sleep(60)\n"
    result = run(supervisor, code, sandbox=sandbox, timeout=0.5)
    assert (result.timed_out, result.stdout) == (True, "working\n")


def test_a_run_whose_process_cannot_be_watched_is_killed_and_leaves_nothing(
    supervisor, marker, monkeypatch
):
    def no_pidfd(pid: int) -> int:
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(process.os, "pidfd_open", no_pidfd)
    with pytest.raises(OSError, match="Too many open files"):
        run(supervisor, "import time\ntime.sleep(60)\n", marker=marker, sandbox=False)
    assert _marked(marker) == []  # killed and reaped; the `runs` fixture checks the folder


def test_kill_all_returns_once_the_killed_runs_have_exited(supervisor, marker, monkeypatch):
    # A run that takes a moment to die: here the kill is lost and the script ends by itself.
    monkeypatch.setattr(process, "_kill", lambda run: None)
    code = "import time\ntime.sleep(0.3)\n"
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(run, supervisor, code, marker=marker, sandbox=False)
        assert _wait_marked(marker)
        supervisor.kill_all()
        assert _marked(marker) == []
        assert isinstance(future.exception(timeout=10), Stopped)


def test_kill_all_waits_at_most_a_second_for_a_run_that_does_not_die(
    supervisor, marker, monkeypatch
):
    monkeypatch.setattr(process, "_kill", lambda run: None)  # as if stuck in the kernel
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        future = pool.submit(
            run, supervisor, "import time\ntime.sleep(10)\n", marker=marker, sandbox=False
        )
        assert _wait_marked(marker)
        start = time.monotonic()
        supervisor.kill_all()
        assert time.monotonic() - start < 5
        _kill_marked(marker)
        assert isinstance(future.exception(timeout=10), Stopped)
