"""The bubblewrap command line: exact argv, the availability probe, and each protection.

The protection tests run bwrap directly (no Supervisor), one flag's effect per
test, so that dropping any one flag from bwrap_command fails a test here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from snippet_runner.executor import sandbox
from snippet_runner.executor.sandbox import WORKDIR, available, bwrap_command

needs_bwrap = pytest.mark.skipif(shutil.which("bwrap") is None, reason="bwrap is not installed")

ENV = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}


# -- the command line ------------------------------------------------------------


def test_workdir_is_the_same_path_everywhere():
    assert WORKDIR == "/tmp/snippet"


def test_bwrap_command_with_a_workdir():
    argv = bwrap_command(["python3", "x.py"], workdir="/host/run", env={"A": "1", "B": "two"})
    assert argv == [
        "bwrap",
        "--ro-bind", "/", "/",
        "--proc", "/proc",
        "--dev", "/dev",
        "--tmpfs", "/tmp",
        "--bind", "/host/run", "/tmp/snippet",
        "--chdir", "/tmp/snippet",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--die-with-parent",
        "--new-session",
        "--cap-drop", "ALL",
        "--clearenv",
        "--setenv", "A", "1",
        "--setenv", "B", "two",
        "--", "python3", "x.py",
    ]  # fmt: skip


def test_bwrap_command_without_workdir_with_a_root_and_as_pid_1():
    argv = bwrap_command(
        ["/usr/bin/python3.14", "-V"],
        root="/srv/sid",
        workdir=None,
        env={},
        bwrap="/opt/bwrap",
        as_pid_1=True,
    )
    assert argv == [
        "/opt/bwrap",
        "--ro-bind", "/srv/sid", "/",
        "--proc", "/proc",
        "--dev", "/dev",
        "--tmpfs", "/tmp",
        "--unshare-pid",
        "--as-pid-1",
        "--unshare-net",
        "--unshare-ipc",
        "--die-with-parent",
        "--new-session",
        "--cap-drop", "ALL",
        "--clearenv",
        "--", "/usr/bin/python3.14", "-V",
    ]  # fmt: skip


# -- the availability probe --------------------------------------------------------


@needs_bwrap
def test_bwrap_works_here():
    assert available() is None


def test_a_missing_bwrap_is_reported():
    assert available("/nonexistent/bwrap") == (
        "bubblewrap is not installed: '/nonexistent/bwrap' not found"
    )


def _fake_bwrap(tmp_path: Path, body: str, mode: int = 0o755) -> str:
    fake = tmp_path / "bwrap"
    fake.write_text(f"#!/bin/sh\n{body}\n")
    fake.chmod(mode)
    return str(fake)


def test_the_probe_runs_true_with_the_real_flags(tmp_path):
    args = tmp_path / "args"
    fake = _fake_bwrap(tmp_path, f'printf "%s\\n" "$@" > {args}')
    assert available(fake) is None
    expected = bwrap_command(["true"], workdir=None, env={"PATH": "/usr/bin:/bin"}, bwrap=fake)
    assert args.read_text().splitlines() == expected[1:]


def test_blocked_namespaces_are_reported_with_the_last_stderr_line(tmp_path):
    fake = _fake_bwrap(
        tmp_path,
        "echo 'bwrap: first line' >&2\n"
        "echo 'bwrap: setting up uid map: Permission denied' >&2\n"
        "exit 1",
    )
    assert available(fake) == (
        f"bubblewrap ({fake}) cannot create its sandbox here: "
        "bwrap: setting up uid map: Permission denied "
        "(if user namespaces are blocked, e.g. on Ubuntu 24.04 by AppArmor's "
        "sysctl kernel.apparmor_restrict_unprivileged_userns=1, allow them for bwrap)"
    )


def test_the_last_stderr_line_is_reported_even_among_bytes_that_are_not_utf8(tmp_path):
    # bwrap's messages are in the machine's language and encoding (strerror), e.g. Latin-1.
    fake = _fake_bwrap(
        tmp_path,
        "printf 'bwrap: first line\\n' >&2\n"
        "printf 'bwrap: Op\\351ration non permise\\n' >&2\n"
        "printf 'bwrap: setting up uid map: Permission denied\\n' >&2\n"
        "exit 1",
    )
    assert available(fake) == (
        f"bubblewrap ({fake}) cannot create its sandbox here: "
        "bwrap: setting up uid map: Permission denied "
        "(if user namespaces are blocked, e.g. on Ubuntu 24.04 by AppArmor's "
        "sysctl kernel.apparmor_restrict_unprivileged_userns=1, allow them for bwrap)"
    )


def test_a_silent_failure_reports_the_exit_code(tmp_path):
    fake = _fake_bwrap(tmp_path, "exit 3")
    assert available(fake).startswith(
        f"bubblewrap ({fake}) cannot create its sandbox here: exit code 3 (if user"
    )


def test_a_bwrap_that_cannot_be_executed_is_reported(tmp_path):
    fake = _fake_bwrap(tmp_path, "exit 0", mode=0o644)
    assert available(fake) == (
        f"bubblewrap ({fake}) cannot be started: [Errno 13] Permission denied: '{fake}'"
    )


def test_a_hanging_probe_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "_PROBE_TIMEOUT", 0.2)
    fake = _fake_bwrap(tmp_path, "exec sleep 5")
    assert available(fake) == f"bubblewrap ({fake}) did not finish a trivial run in 0.2 s"


# -- each protection, through bwrap itself -------------------------------------------


def _run(code: str, workdir: Path | None = None, env: dict[str, str] = ENV, **options):
    argv = bwrap_command(
        [os.path.realpath(sys.executable), "-c", code],  # a venv under /tmp is hidden inside
        workdir=None if workdir is None else str(workdir),
        env=env,
        **options,
    )
    # From /, so that the PWD bwrap sets without --chdir is the same everywhere.
    return subprocess.run(argv, capture_output=True, text=True, timeout=30, cwd="/")


@needs_bwrap
def test_the_workdir_is_bound_read_write_and_is_the_cwd(tmp_path):
    done = _run("import os; open('made.txt', 'w').write('hi'); print(os.getcwd())", tmp_path)
    assert (done.returncode, done.stdout) == (0, "/tmp/snippet\n")
    assert (tmp_path / "made.txt").read_text() == "hi"


@needs_bwrap
def test_the_root_is_read_only():
    # Not next to this file: a repository cloned under /tmp is hidden inside (ENOENT).
    target = Path("/var/tmp") / f"written-by-sandbox-{uuid.uuid4().hex}"
    try:
        done = _run(f"open({str(target)!r}, 'w')")
        assert "OSError: [Errno 30] Read-only file system" in done.stderr
        assert not target.exists()
    finally:
        target.unlink(missing_ok=True)


@needs_bwrap
def test_root_inside_cannot_remount_the_root_read_write():
    # Run as root, bwrap keeps every capability unless told otherwise, and
    # `mount -o remount,rw` would then make the repository writable.
    target = Path("/var/tmp") / f"written-after-remount-{uuid.uuid4().hex}"
    code = (
        "import subprocess\n"
        "subprocess.run(['mount', '-o', 'remount,bind,rw', '/'], capture_output=True)\n"
        "print(open('/proc/self/status').read().split('CapEff:')[1].split()[0])\n"
        f"open({str(target)!r}, 'w')\n"
    )
    try:
        done = _run(code)
        assert done.stdout == "0000000000000000\n"
        assert "OSError: [Errno 30] Read-only file system" in done.stderr
        assert not target.exists()
    finally:
        target.unlink(missing_ok=True)


@needs_bwrap
def test_tmp_is_private(tmp_path):
    # tmp_path is under the host's /tmp: inside, /tmp is an empty tmpfs.
    (tmp_path / "host.txt").write_text("secret")
    done = _run(f"import os; print(os.path.exists({str(tmp_path)!r}), os.listdir('/tmp'))")
    assert done.stdout == "False []\n"


@needs_bwrap
def test_the_environment_is_exactly_env(monkeypatch):
    monkeypatch.setenv("AUTHOR_SECRET", "x")
    done = _run("import os; print(sorted(os.environ.items()))")
    assert done.stdout == f"{sorted({**ENV, 'PWD': '/'}.items())}\n"


@needs_bwrap
def test_the_script_sees_only_its_own_pid_namespace():
    code = (
        "import os; print(os.getpid(), sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))"
    )
    assert _run(code).stdout == "2 [1, 2]\n"  # bwrap's init is 1
    assert _run(code, as_pid_1=True).stdout == "1 [1]\n"


@needs_bwrap
def test_a_daemon_dies_with_the_script():
    marker = uuid.uuid4().hex
    code = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(600)\n"
        "    os._exit(0)\n"
        "time.sleep(0.2)\n"
    )
    try:
        assert _run(code, env={**ENV, "MARK": marker}).returncode == 0
        assert _wait_gone(marker) == []
    finally:
        _kill_marked(marker)


@needs_bwrap
def test_the_sandbox_dies_with_the_process_that_started_it():
    marker = uuid.uuid4().hex
    argv = bwrap_command(["sleep", "600"], workdir=None, env={**ENV, "MARK": marker})
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time; subprocess.Popen(sys.argv[1:]); time.sleep(600)",
            *argv,
        ]
    )
    try:
        assert _wait_marked(marker) != []
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        assert _wait_gone(marker) == []
    finally:
        parent.kill()
        _kill_marked(marker)


@needs_bwrap
def test_there_is_no_network():
    code = (
        "import socket\n"
        "for call in (lambda: socket.create_connection(('1.1.1.1', 53), timeout=2),"
        " lambda: socket.gethostbyname('example.com')):\n"
        "    try:\n"
        "        call()\n"
        "    except OSError as error:\n"
        "        print(type(error).__name__, error.errno)\n"
    )
    # ENETUNREACH: only a loopback exists; EAI_NONAME/EAI_AGAIN: no resolver.
    first, second = _run(code).stdout.splitlines()
    assert first == "OSError 101"
    assert second.startswith("gaierror -")


@needs_bwrap
def test_system_v_ipc_is_private():
    code = "import os; print(os.readlink('/proc/self/ns/ipc'))"
    assert _run(code).stdout.strip() != os.readlink("/proc/self/ns/ipc")


@needs_bwrap
def test_the_script_runs_in_a_session_of_its_own():
    # A new session (bwrap's init leads it): TIOCSTI on the build's terminal is
    # out of reach. The build's session leader is outside the PID namespace: 0.
    assert _run("import os; print(os.getsid(0))").stdout == "1\n"


@needs_bwrap
def test_dev_shm_is_writable_for_semaphores():
    code = (
        "import multiprocessing as mp, os\n"
        "lock = mp.get_context('spawn').Lock()\n"
        "open('/dev/shm/probe', 'w').write('x')\n"
        "print(os.path.exists('/dev/null'), 'probe' in os.listdir('/dev/shm'))\n"
    )
    done = _run(code)
    assert (done.stdout, done.stderr) == ("True True\n", "")


# -- helpers: find sandboxed processes by a marker in their environment ---------------


def _marked(marker: str) -> list[int]:
    needle = f"MARK={marker}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/environ", "rb") as environ:
                    if needle in environ.read().split(b"\0"):
                        found.append(int(entry))
            except OSError:  # gone meanwhile, or a zombie
                pass
    return found


def _wait_marked(marker: str, seconds: float = 10.0, count: int = 1) -> list[int]:
    deadline = time.monotonic() + seconds
    while len(found := _marked(marker)) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return found


def _wait_gone(marker: str, seconds: float = 3.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (alive := _marked(marker)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return alive


def _kill_marked(marker: str) -> None:
    for pid in _marked(marker):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
