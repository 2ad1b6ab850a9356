"""Run one script in a fresh interpreter, and leave nothing of it behind.

A script runs as ``python <name>`` from a private temporary folder, exactly as
a reader would run it: ``__name__ == "__main__"``, its own start method, its
own children. With the sandbox (sandbox.py) it runs under bubblewrap, with the
folder bound at ``/tmp/snippet``; without it, in a process group of its own.

A Supervisor owns the live runs of one build. Whatever happens -- a clean
exit, a timeout, ``kill_all()`` from a signal handler or another thread --
every process of a run is killed and its folder removed before ``run()``
returns or raises:

- With the sandbox, a small init of ours is pid 1 of the run's PID namespace.
  When the script exits, the init kills and reaps everything else, daemons
  included, and bwrap waits for the init: nothing is left when bwrap exits,
  and the kernel's resource usage covers every process. At a timeout or a
  kill, bwrap is killed, and --die-with-parent takes the namespace down
  (its processes already have SIGKILL pending when ``run()`` returns).
- Without it, the process group is killed. A process that calls ``setsid()``
  leaves the group and survives the run: the sandbox is the fix for that.

Linux only: a run is watched through a pidfd (Linux 5.3+).
"""

from __future__ import annotations

import contextlib
import os
import resource
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .sandbox import WORKDIR, bwrap_command

#: Seconds to keep reading the pipes after the script exited: data already
#: written arrives at once, but a daemon that escaped the run (possible only
#: without the sandbox) may hold them open forever.
_DRAIN_SECONDS = 0.5

# The sandbox's pid 1 (run by the script's own interpreter, -I -S: ~0.01 s).
# It starts the script and reaps orphans as any init does. When the script
# exits, it kills every other process of the namespace and reaps them, so that
# their CPU time counts too (the kernel's own clean-up when an init exits
# reaps them without counting it), then exits with the script's status.
# kill(-1) from pid 1 reaches its own PID namespace only; anywhere else it
# would kill every process the user may signal, hence the pid check.
# bwrap waits for this init (--as-pid-1) where it does not wait for its own:
# when bwrap exits, nothing of the run is left, and its resource usage counts
# all of it. SIGINT goes back to the default (ignored by an init, as by
# bwrap's own), and the script gets the signal dispositions a shell gives.
_INIT = """\
import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
script = os.fork()
if script == 0:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
    try:
        os.execv(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
while True:
    pid, status = os.wait()
    if pid == script:
        break
if os.getpid() == 1:  # never outside a PID namespace of its own: -1 is everyone there
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
if os.WIFSIGNALED(status):
    os._exit(128 + os.WTERMSIG(status))
os._exit(os.WEXITSTATUS(status))
"""

#: Seconds kill_all() waits for the killed runs to exit before removing their folders.
_KILL_WAIT_SECONDS = 1.0


@dataclass(frozen=True)
class RunResult:
    """What one run of a script produced."""

    stdout: str
    stderr: str
    returncode: int | None  # None when the run was stopped by its timeout
    timed_out: bool
    seconds: float  # wall clock, from the start until the script exited
    timeout: float
    # User + system CPU time of the run, from the kernel's resource usage of
    # the process we started, which counts every descendant that was waited
    # for. With the sandbox that is the whole tree (the sandbox's init reaps
    # everything, daemons included, and bwrap reaps the init), plus ~0.01 s
    # for bwrap and the init themselves. Without it, orphans killed with the
    # process group are not counted. After a timeout or kill_all, only what
    # had been reaped before the kill counts.
    cpu_seconds: float = 0.0


@dataclass(frozen=True)
class Limits:
    """Resource limits, set in the child before it starts (None: no limit).

    Both are per process and inherited: every worker of a pool gets the same
    limits of its own, not a share of them.
    """

    memory_mb: int | None = None  # RLIMIT_AS: address space; a bigger allocation fails
    cpu_seconds: int | None = None  # RLIMIT_CPU: SIGXCPU kills the process after this


#: No limits at all (the default of Supervisor.run).
NO_LIMITS = Limits()


class Stopped(RuntimeError):
    """The supervisor was stopped (kill_all): the run was killed, or never started."""


class _CappedOutput:
    """One output stream, keeping at most ``limit`` bytes and counting the rest."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept = bytearray()
        self.total = 0

    def feed(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.limit - len(self.kept)
        if room > 0:
            self.kept += chunk[:room]

    def text(self, stopped: bool = False) -> str:
        kept = bytes(self.kept)
        note = ""
        if self.total > len(kept):
            # Cut at a line end, so the page never shows half a line.
            kept = kept[: kept.rfind(b"\n") + 1 or len(kept)]
            note = (
                f"[output cut by the build: {self.total:,} bytes in all, "
                f"the first {len(kept):,} shown]\n"
            )
        if (stopped or note) and kept and not kept.endswith(b"\n"):
            # End a line cut short (by a kill, or one line past the limit), so
            # that `...` lines can match it and the note stands on a line of its own.
            kept += b"\n"
        return _decode(kept) + note


def _decode(data: bytes) -> str:
    # Bytes that are not UTF-8 are shown as \xNN escapes instead of failing the build.
    return data.decode("utf-8", errors="backslashreplace")


def run_environment(*, width: int = 80) -> dict[str, str]:
    """The environment of every run: the same whatever the author's shell exports.

    Paths are those inside the sandbox; without it, Supervisor.run points HOME
    and TMPDIR at the run's own folder instead.
    """
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": WORKDIR,
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        # Unbuffered, so a run stopped by a timeout still shows what it printed.
        "PYTHONUNBUFFERED": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "NO_COLOR": "1",
        "PYTHON_COLORS": "0",
        "TERM": "dumb",
        "COLUMNS": str(width),
    }


def _limiter(limits: Limits) -> Callable[[], None] | None:
    """A preexec_fn setting ``limits`` in the child, or None when there are none.

    Set before exec, they hold from the first instruction and are inherited by
    bwrap (not setuid here) and everything it starts. The function only calls
    setrlimit, so it is safe in a child forked from a threaded parent.
    """
    settings = []
    if limits.memory_mb is not None:
        size = limits.memory_mb * 1024 * 1024
        settings.append((resource.RLIMIT_AS, (size, size)))
    if limits.cpu_seconds is not None:
        # SIGXCPU at the soft limit; SIGKILL a second later if it is caught.
        settings.append((resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1)))
    if not settings:
        return None

    def set_limits() -> None:
        for which, values in settings:
            resource.setrlimit(which, values)

    return set_limits


@dataclass(eq=False)
class _Run:
    """A live run: the process we started (bwrap or python), watched through a pidfd."""

    proc: subprocess.Popen
    pidfd: int
    tmpdir: str
    started: float
    stopped: bool = False  # set by kill_all


def _kill_group(pgid: int) -> None:
    # The group's leader is never reaped before this is called, so the id
    # cannot have been reused by another group.
    with contextlib.suppress(ProcessLookupError):  # nothing left in it
        os.killpg(pgid, signal.SIGKILL)


def _kill(run: _Run) -> None:
    """SIGKILL the process we started (bwrap or python) and its process group."""
    _kill_group(run.proc.pid)
    # The process itself, through its pidfd, in case it is no longer in that group.
    with contextlib.suppress(ProcessLookupError):
        signal.pidfd_send_signal(run.pidfd, signal.SIGKILL)


def _watch(run: _Run, timeout: float, limit: int) -> tuple[bool, str, str, float]:
    """Read both pipes until the script exits (killing it at its timeout).

    Returns (timed_out, stdout, stderr, seconds). No reader threads: one poll
    loop over the pipes and the pidfd, so nothing can be left blocked on a pipe.
    """
    proc = run.proc
    outputs = {pipe.fileno(): _CappedOutput(limit) for pipe in (proc.stdout, proc.stderr)}
    poller = select.poll()
    for fd in [*outputs, run.pidfd]:
        poller.register(fd, select.POLLIN)
    open_pipes = set(outputs)
    deadline = run.started + timeout
    exited_at = None
    timed_out = False
    while exited_at is None or open_pipes:
        now = time.monotonic()
        if exited_at is not None:
            wait = exited_at + _DRAIN_SECONDS - now
            if wait <= 0:
                break
        elif timed_out:
            wait = None  # killed: its exit is a matter of milliseconds
        elif now >= deadline:
            timed_out = True
            _kill(run)
            continue
        else:
            wait = deadline - now
        for fd, _events in poller.poll(None if wait is None else wait * 1000):
            if fd == run.pidfd:
                exited_at = time.monotonic()
                poller.unregister(fd)
                # Also after a clean exit: workers or grandchildren that hold
                # the pipes open must not survive the run.
                _kill_group(proc.pid)
            elif chunk := os.read(fd, 65536):
                outputs[fd].feed(chunk)
            else:
                poller.unregister(fd)
                open_pipes.discard(fd)
    stdout, stderr = (output.text(stopped=timed_out) for output in outputs.values())
    return timed_out, stdout, stderr, exited_at - run.started


def _wait_for_exits(pidfds: list[int], seconds: float) -> None:
    """Wait until every process behind ``pidfds`` has exited, or ``seconds`` passed."""
    poller = select.poll()
    for fd in pidfds:
        poller.register(fd, select.POLLIN)
    waiting = set(pidfds)
    deadline = time.monotonic() + seconds
    while waiting and (left := deadline - time.monotonic()) > 0:
        for fd, _events in poller.poll(left * 1000):
            poller.unregister(fd)
            waiting.discard(fd)


class Supervisor:
    """Owns the live runs of one build, so that all of them can be killed at once.

    ``run()`` may be called from many threads at once; ``kill_all()`` from any
    thread or a signal handler.
    """

    def __init__(self, *, tmp_root: str | None = None) -> None:
        # Where run folders are made (None: the system's). Keep it short: without
        # the sandbox TMPDIR is the run folder, and the Unix sockets of
        # multiprocessing (forkserver, managers) need paths under 108 bytes.
        self._tmp_root = tmp_root
        # Re-entrant: a signal handler calling kill_all() may interrupt the main
        # thread inside a locked section.
        self._lock = threading.RLock()
        self._runs: set[_Run] = set()
        self._stopped = False

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.kill_all()

    def run(
        self,
        code: str,
        *,
        name: str,
        timeout: float,
        python: str,
        env: dict[str, str],
        root: str = "/",
        limit: int = 64 * 1024,
        sandbox: bool = True,
        rlimits: Limits = NO_LIMITS,
        bwrap: str = "bwrap",
    ) -> RunResult:
        """Run ``code`` as the script ``name`` with ``python`` and return its output.

        ``python`` is an absolute path as seen inside ``root``; ``env`` is the
        whole environment (see run_environment). ``limit`` caps each stream in
        bytes. Raises Stopped when kill_all() stopped the run or came before it.

        With the sandbox, a script killed by signal N reports returncode 128+N
        (bwrap's init reports it as a shell does); without it, -N.
        """
        if not name or "/" in name or name in {".", ".."}:
            raise ValueError(f"the script name must be a plain file name, not {name!r}")
        if not sandbox and root != "/":
            raise ValueError(f"a root filesystem ({root}) needs the sandbox")
        run = self._start(code, name, python, env, root, sandbox, rlimits, bwrap)
        try:
            timed_out, stdout, stderr, seconds = _watch(run, timeout, limit)
        finally:
            returncode, cpu_seconds = self._finish(run)
        if run.stopped:
            raise Stopped(f"{name} was killed: the build is stopping")
        return RunResult(
            stdout=stdout,
            stderr=stderr,
            returncode=None if timed_out else returncode,
            timed_out=timed_out,
            seconds=seconds,
            timeout=timeout,
            cpu_seconds=cpu_seconds,
        )

    def _start(self, code, name, python, env, root, sandbox, rlimits, bwrap) -> _Run:
        # Under the lock, so that kill_all() in another thread sees either no
        # run or a registered one, never a process it cannot find.
        with self._lock:
            if self._stopped:
                raise Stopped(f"{name} was not started: the build is stopping")
            tmpdir = tempfile.mkdtemp(prefix="snippet-", dir=self._tmp_root)
            proc = None
            try:
                Path(tmpdir, name).write_text(code, encoding="utf-8")
                if sandbox:
                    init = [python, "-I", "-S", "-c", _INIT, python, name]
                    argv = bwrap_command(
                        init, root=root, workdir=tmpdir, env=env, bwrap=bwrap, as_pid_1=True
                    )
                    cwd, run_env = None, None  # bwrap sets both inside
                else:
                    argv = [python, name]
                    cwd, run_env = tmpdir, {**env, "HOME": tmpdir, "TMPDIR": tmpdir}
                started = time.monotonic()
                proc = subprocess.Popen(
                    argv,
                    cwd=cwd,
                    env=run_env,
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    start_new_session=True,  # its own process group, killed as a whole
                    preexec_fn=_limiter(rlimits),
                )
                run = _Run(proc, os.pidfd_open(proc.pid), tmpdir, started)
            except BaseException:
                if proc is not None:
                    _kill_group(proc.pid)
                    proc.kill()
                    proc.wait()
                    proc.stdout.close()
                    proc.stderr.close()
                shutil.rmtree(tmpdir, ignore_errors=True)
                raise
            self._runs.add(run)
            return run

    def _finish(self, run: _Run) -> tuple[int, float]:
        """Kill what is left of ``run``, reap it, close its pipes, remove its folder."""
        with self._lock:
            # Unregistered before it is reaped: kill_all() never signals a reused pid.
            self._runs.discard(run)
        try:
            _kill(run)
            # wait4 rather than Popen.wait, for the resource usage of the whole run.
            _pid, status, usage = os.wait4(run.proc.pid, 0)
            run.proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            os.close(run.pidfd)
            run.proc.stdout.close()
            run.proc.stderr.close()
            shutil.rmtree(run.tmpdir, ignore_errors=True)
        return run.proc.returncode, usage.ru_utime + usage.ru_stime

    def kill_all(self) -> None:
        """Kill every live run at once, remove their folders, and refuse new runs.

        Each ``run()`` in progress raises Stopped promptly. With the sandbox,
        killing bwrap takes the whole PID namespace down (--die-with-parent).
        Waits at most _KILL_WAIT_SECONDS for the killed processes to exit.
        """
        with self._lock:
            self._stopped = True
            runs = list(self._runs)
            for run in runs:
                run.stopped = True
                _kill(run)
            _wait_for_exits([run.pidfd for run in runs], _KILL_WAIT_SECONDS)
            for run in runs:
                shutil.rmtree(run.tmpdir, ignore_errors=True)


def install_signal_handlers(supervisor: Supervisor) -> Callable[[], None]:
    """On SIGTERM or SIGINT, kill every run of ``supervisor``, then stop the build.

    SIGINT raises KeyboardInterrupt and SIGTERM SystemExit(128 + 15), in
    whatever the main thread was doing, so the build unwinds at once. Returns
    a function that restores the previous handlers. Call it from the main
    thread only: Python runs signal handlers there, and signal.signal raises
    ValueError in any other thread.
    """

    def stop(signum: int, _frame: object) -> None:
        supervisor.kill_all()
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGINT)}

    def restore() -> None:
        for signum, handler in previous.items():
            # None: a handler not installed from Python; the default is the nearest.
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)

    return restore
