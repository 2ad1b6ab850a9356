"""Build the bubblewrap (bwrap) command line that sandboxes one script run.

Inside the sandbox the script sees a read-only root filesystem (the host's, or
a rootfs folder such as a Debian-sid tree), a private ``/tmp``, its own
writable working directory at ``/tmp/snippet``, no network, and its own PID
namespace: when the script exits, every process it started dies with it,
daemons included.  This module only builds argv lists and probes whether
bwrap works here; process.py runs them.
"""

from __future__ import annotations

import subprocess

#: The script's working directory inside the sandbox, the same on every
#: machine, so tracebacks and ``os.getcwd()`` print the same path everywhere.
WORKDIR = "/tmp/snippet"

# Seconds the availability probe may take (bwrap itself starts in milliseconds).
_PROBE_TIMEOUT = 10.0


def bwrap_command(
    argv: list[str],
    *,
    root: str = "/",
    workdir: str | None,
    env: dict[str, str],
    bwrap: str = "bwrap",
    as_pid_1: bool = False,
) -> list[str]:
    """The full argv that runs ``argv`` inside a sandbox rooted at ``root``.

    ``workdir`` (a host folder) is bound read-write at WORKDIR and becomes the
    working directory; ``None`` binds nothing. The environment is exactly ``env``.
    With ``as_pid_1``, ``argv`` itself is the PID namespace's init instead of
    bwrap's: it must reap orphans, and the namespace ends when it exits.
    """
    command = [bwrap, "--ro-bind", root, "/"]
    # /proc and /dev (with /dev/shm for POSIX semaphores and shared_memory) are
    # needed by multiprocessing under every start method.
    command += ["--proc", "/proc", "--dev", "/dev"]
    # A private /tmp: the host's temporary files are neither seen nor written.
    command += ["--tmpfs", "/tmp"]
    if workdir is not None:
        command += ["--bind", workdir, WORKDIR, "--chdir", WORKDIR]
    # PID namespace: when the script exits, the kernel kills everything left
    # in it, double-forked setsid daemons included.
    command += ["--unshare-pid"]
    if as_pid_1:
        # bwrap then waits for (and reaps) the init, rather than exiting as soon
        # as its own init reports the command's exit status.
        command += ["--as-pid-1"]
    # Network namespace with only a loopback: no connections out, no DNS.
    command += ["--unshare-net"]
    # Own System V IPC objects (POSIX semaphores live in /dev/shm and still work).
    command += ["--unshare-ipc"]
    # If the build dies (even by SIGKILL), the sandbox dies with it.
    command += ["--die-with-parent"]
    # No controlling terminal: the script cannot push keystrokes into it (TIOCSTI).
    command += ["--new-session"]
    # Run as root, bwrap keeps every capability, and CAP_SYS_ADMIN could
    # remount the read-only root read-write: drop them all.
    command += ["--cap-drop", "ALL"]
    command += ["--clearenv"]
    for key, value in env.items():
        command += ["--setenv", key, value]
    return [*command, "--", *argv]


def available(bwrap: str = "bwrap") -> str | None:
    """None when bwrap can sandbox a run here, else a one-line reason why not.

    Runs ``true`` once with the same flags as a real run, so a kernel or
    container that forbids one of them is caught here rather than on every run.
    """
    argv = bwrap_command(["true"], workdir=None, env={"PATH": "/usr/bin:/bin"}, bwrap=bwrap)
    try:
        probe = subprocess.run(
            argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=_PROBE_TIMEOUT
        )
    except FileNotFoundError:
        return f"bubblewrap is not installed: {bwrap!r} not found"
    except OSError as error:
        return f"bubblewrap ({bwrap}) cannot be started: {error}"
    except subprocess.TimeoutExpired:
        return f"bubblewrap ({bwrap}) did not finish a trivial run in {_PROBE_TIMEOUT:g} s"
    if probe.returncode == 0:
        return None
    lines = probe.stderr.decode("utf-8", errors="replace").strip().splitlines()
    detail = lines[-1].strip() if lines else f"exit code {probe.returncode}"
    return (
        f"bubblewrap ({bwrap}) cannot create its sandbox here: {detail} "
        "(if user namespaces are blocked, e.g. on Ubuntu 24.04 by AppArmor's "
        "sysctl kernel.apparmor_restrict_unprivileged_userns=1, allow them for bwrap)"
    )
