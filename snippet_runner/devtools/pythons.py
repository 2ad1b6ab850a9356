"""Provide the configured CPythons this machine lacks (``make pythons``).

3.13 and newer come from Debian unstable: its binaries need a newer glibc than
the development machines have, so they live in a root filesystem of their own
(debootstrap) and run through bubblewrap with that folder as /. Older minors
are not in Debian unstable: pyenv or actions/setup-python provide those.

    python -m snippet_runner.devtools.pythons [--check] [--require]
        [--want 3.13 3.14.10 ...] [--rootfs DIR] [--mirror URL]

Without ``--want``, the entries come from ``[tool.snippet-runner] pythons`` in
./pyproject.toml. ``--check`` only prints what each entry resolves to and exits
1 if one is missing. ``--require`` (CI) makes "cannot provision here" an error.
A fresh root filesystem is built in ``DIR.tmp`` and renamed to DIR when
complete, so an interrupted run never leaves a half one that looks finished.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import tomllib

from snippet_runner.executor import interpreters
from snippet_runner.executor.interpreters import Interpreter
from snippet_runner.executor.sandbox import available

#: The minors Debian unstable ships as python3.X packages (checked 2026-11-29).
DEBIAN_UNSTABLE = ("3.13", "3.14", "3.15")
DEFAULT_MIRROR = "http://deb.debian.org/debian"
#: What the host needs to build and use the root filesystem, as Debian packages.
HOST_PACKAGES = ("debootstrap", "bubblewrap", "debian-archive-keyring")
DEBIAN_KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
#: Lines of a failed command's output quoted in the error.
TAIL_LINES = 15

#: Runs one command; returns its exit status and its combined output.
Run = Callable[[list[str]], tuple[int, str]]


def default_rootfs() -> Path:
    """Outside the repository: a clean clone or ``make clean`` must not cost a rebuild."""
    return Path.home() / ".cache" / "pickled-state" / "debian-sid"


# -- planning (pure) -------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    install: tuple[str, ...]  # minors to install from Debian unstable, e.g. ("3.13", "3.15")
    elsewhere: tuple[str, ...]  # one line per entry Debian unstable cannot provide


def satisfied(spec: str, builds: dict[str, list[Interpreter]]) -> Interpreter | None:
    """The newest build of the entry's minor if it is recent enough, else None."""
    minor, minimum = interpreters.parse_spec(spec)
    newest = next(iter(builds.get(minor, [])), None)
    return newest if newest is not None and newest.key >= minimum else None


def shortfall(spec: str, builds: dict[str, list[Interpreter]]) -> str:
    """``"not found"`` or ``"found 3.13.0, need >= 3.13.18"``."""
    minor, minimum = interpreters.parse_spec(spec)
    newest = next(iter(builds.get(minor, [])), None)
    if newest is None:
        return "not found"
    return f"found {newest.version}, need >= {'.'.join(map(str, minimum))}"


def advice(spec: str, builds: dict[str, list[Interpreter]], debian: Sequence[str]) -> str:
    """Why the entry is missing and what provides it, e.g. for 3.12:
    ``"not found; Debian unstable does not ship 3.12: install it with pyenv ..."``."""
    minor, _ = interpreters.parse_spec(spec)
    if minor in debian:
        return f"{shortfall(spec, builds)}: run `make pythons`"
    return (
        f"{shortfall(spec, builds)}; Debian unstable does not ship {minor}: install it "
        f"with pyenv (`pyenv install {minor}`), or actions/setup-python in CI"
    )


def plan(
    specs: Sequence[str],
    builds: dict[str, list[Interpreter]],
    *,
    debian: Sequence[str] = DEBIAN_UNSTABLE,
) -> Plan:
    """Which Debian packages to install, and what to say about the other missing entries."""
    install: list[str] = []
    elsewhere: list[str] = []
    for spec in specs:
        if satisfied(spec, builds):
            continue
        minor, _ = interpreters.parse_spec(spec)
        if minor not in debian:
            elsewhere.append(f"{spec}: {advice(spec, builds, debian)}")
        elif minor not in install:
            install.append(minor)
    return Plan(tuple(install), tuple(elsewhere))


@dataclass(frozen=True)
class Host:
    """What provisioning needs from this machine."""

    system: str  # platform.system()
    root: bool  # running as root
    sudo: bool  # passwordless sudo works
    apt_get: bool
    debootstrap: bool
    keyring: bool  # Debian's archive keyring, to verify what debootstrap downloads
    bwrap: bool  # the bwrap executable exists
    bwrap_problem: str | None  # None when bubblewrap runs here


def blocker(host: Host, wanted: Sequence[str]) -> str | None:
    """The one line that says why provisioning cannot happen here and what to do, or None."""
    what = ", ".join(f"python{minor}" for minor in wanted)
    if host.system != "Linux":
        return (
            f"cannot provide {what} here: Debian's builds run on Linux only (this is "
            f"{host.system}); install them with pyenv instead"
        )
    if not (host.root or host.sudo):
        return (
            f"cannot provide {what}: debootstrap and chroot need root and there is no "
            "passwordless sudo: run `sudo make pythons`, or install them with pyenv"
        )
    missing = missing_tools(host)
    if missing:
        return (
            f"cannot provide {what}: {' and '.join(missing)} missing: install "
            f"{' '.join(HOST_PACKAGES)} with your package manager, then run `make pythons`"
        )
    if host.bwrap_problem:
        return f"cannot provide {what}: {host.bwrap_problem}"
    return None


def missing_tools(host: Host) -> list[str]:
    """The host tools that apt-get would have to install (HOST_PACKAGES)."""
    tools = [("debootstrap", host.debootstrap), ("Debian's archive keyring", host.keyring)]
    return [name for name, ok in [*tools, ("bubblewrap", host.bwrap)] if not ok]


def table(
    specs: Sequence[str],
    builds: dict[str, list[Interpreter]],
    *,
    debian: Sequence[str] = DEBIAN_UNSTABLE,
) -> list[str]:
    """What each entry resolves to: one aligned line per entry."""
    width = max((len(spec) for spec in specs), default=0)
    found = {spec: satisfied(spec, builds) for spec in specs}
    label_width = max((len(i.label) for i in found.values() if i), default=0)
    lines = []
    for spec, interpreter in found.items():
        if interpreter is None:
            lines.append(f"{spec:<{width}}  missing: {advice(spec, builds, debian)}")
            continue
        where = "" if interpreter.root == "/" else f"  (in {interpreter.root})"
        label = f"{interpreter.label:<{label_width}}"
        lines.append(f"{spec:<{width}}  {label}  {interpreter.path}{where}")
    return lines


def mounts_under(mounts: str, folder: str) -> list[str]:
    """Mount points inside ``folder`` (from /proc/self/mounts text), deepest first.

    debootstrap mounts /proc (and in a container binds the host's /dev) into its
    target; a killed run leaves them, and deleting through them would reach the host.
    """
    inside = []
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) > 1:
            point = fields[1].encode().decode("unicode_escape")  # "\040" is a space
            if point.startswith(folder.rstrip("/") + "/"):
                inside.append(point)
    return sorted(inside, key=lambda p: p.count("/"), reverse=True)


def debootstrap_argv(minors: Sequence[str], target: Path, mirror: str) -> list[str]:
    packages = ",".join(f"python{minor}" for minor in minors)
    return [
        "debootstrap",
        "--variant=minbase",
        f"--include={packages}",
        "sid",
        str(target),
        mirror,
    ]


def apt_argv(rootfs: Path, *args: str) -> list[str]:
    """apt-get inside the root filesystem, never asking a question."""
    return ["env", "DEBIAN_FRONTEND=noninteractive", "chroot", str(rootfs), "apt-get", *args]


# -- doing -----------------------------------------------------------------------


def run_command(argv: list[str]) -> tuple[int, str]:
    """The default Run: output captured, shown only when the command fails."""
    try:
        done = subprocess.run(
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
    except OSError as error:
        return 127, str(error)
    return done.returncode, done.stdout.decode("utf-8", errors="replace")


class ProvisionError(RuntimeError):
    """A provisioning command failed; the message quotes its output's tail."""


def _check(run: Run, argv: list[str]) -> None:
    status, output = run(argv)
    if status != 0:
        tail = "\n".join(output.rstrip().splitlines()[-TAIL_LINES:])
        raise ProvisionError(f"`{' '.join(argv)}` failed (exit {status}):\n{tail}")


def provision(
    minors: Sequence[str],
    *,
    rootfs: Path,
    mirror: str,
    upgrade: bool,
    sudo: Sequence[str],
    run: Run,
    say: Callable[[str], None],
    mounts: Callable[[], str],
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Install ``python3.X`` for ``minors`` into ``rootfs``, building it first if absent.

    ``upgrade``: a package is installed but too old, so the package lists are
    refreshed first. ``sudo`` prefixes every privileged command ([] as root).
    """
    packages = [f"python{minor}" for minor in minors]
    if not rootfs.is_dir():
        partial = rootfs.with_name(rootfs.name + ".tmp")
        if partial.exists():
            say(f"removing {partial}, left by an interrupted run")
            for point in mounts_under(mounts(), str(partial)):
                _check(run, [*sudo, "umount", "--lazy", point])
            _check(run, [*sudo, "rm", "-rf", "--one-file-system", str(partial)])
        rootfs.parent.mkdir(parents=True, exist_ok=True)
        say(f"debootstrap sid with {', '.join(packages)} into {partial} …")
        start = clock()
        _check(run, [*sudo, *debootstrap_argv(minors, partial, mirror)])
        partial.rename(rootfs)  # only a complete tree ever carries the final name
        say(f"debootstrap sid … {clock() - start:.0f} s")
        return
    start = clock()
    install = [*sudo, *apt_argv(rootfs, "install", "-y", "-q", *packages)]
    if upgrade:
        _check(run, [*sudo, *apt_argv(rootfs, "update", "-q")])
        _check(run, install)
    elif run(install)[0] != 0:
        # Most often the package lists predate the package: refresh them once.
        say("apt-get update in the root filesystem (a package was not found)")
        _check(run, [*sudo, *apt_argv(rootfs, "update", "-q")])
        _check(run, install)
    say(f"installed {', '.join(packages)} in {clock() - start:.0f} s")


def inspect_host(bwrap: str, *, path_env: str, run: Run = run_command) -> Host:
    """Facts about this machine (each costs at most a short command)."""
    root = os.geteuid() == 0
    sudo = not root and bool(shutil.which("sudo", path=path_env))
    sudo = sudo and run(["sudo", "-n", "true"])[0] == 0
    # A user's PATH often lacks the sbin folders where debootstrap lives; sudo's has them.
    sbin = os.pathsep.join([path_env, "/usr/sbin", "/sbin"])
    return Host(
        system=platform.system(),
        root=root,
        sudo=sudo,
        apt_get=bool(shutil.which("apt-get", path=path_env)),
        debootstrap=bool(shutil.which("debootstrap", path=sbin)),
        keyring=Path(DEBIAN_KEYRING).is_file(),
        bwrap=bool(shutil.which(bwrap, path=path_env)),
        bwrap_problem=available(bwrap),
    )


def install_host_tools(*, sudo: Sequence[str], run: Run, say: Callable[[str], None]) -> bool:
    """apt-get install what is missing on a Debian/Ubuntu host; False if it could not."""
    say(f"installing {' '.join(HOST_PACKAGES)} on this machine (apt-get)")
    install = [*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q"]
    if run([*install, *HOST_PACKAGES])[0] == 0:
        return True
    if run([*sudo, "apt-get", "update", "-q"])[0] != 0:
        return False
    return run([*install, *HOST_PACKAGES])[0] == 0


@contextlib.contextmanager
def locked(lock_file: Path, say: Callable[[str], None]) -> Iterator[None]:
    """Hold ``lock_file`` so two ``make pythons`` never provision at once."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"waiting for another `make pythons` (lock {lock_file}) …")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield  # the lock goes with the file descriptor, also when the process is killed


# -- command line ----------------------------------------------------------------


def configured(pyproject: Path) -> list[str]:
    """``[tool.snippet-runner] pythons`` of a pyproject.toml."""
    with open(pyproject, "rb") as handle:
        return list(tomllib.load(handle)["tool"]["snippet-runner"]["pythons"])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m snippet_runner.devtools.pythons", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="only report; exit 1 if missing")
    parser.add_argument("--require", action="store_true", help="exit 1 if anything is missing")
    parser.add_argument("--want", nargs="+", metavar="VERSION", help="e.g. 3.12 3.13.18")
    parser.add_argument("--rootfs", type=Path, help="default: ~/.cache/pickled-state/debian-sid")
    parser.add_argument("--mirror", default=DEFAULT_MIRROR)
    parser.add_argument("--pyproject", type=Path, default=Path("pyproject.toml"))
    parser.add_argument("--bwrap", default="bwrap")
    return parser


def main(argv: Sequence[str] | None = None, *, environ: dict[str, str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    environ = dict(os.environ if environ is None else environ)
    specs = args.want or configured(args.pyproject)
    try:
        for spec in specs:
            interpreters.parse_spec(spec)  # a typo fails here, not halfway through
    except ValueError as error:
        parser.error(str(error))
    rootfs = (args.rootfs or default_rootfs()).expanduser().absolute()
    path_env = environ.get("PATH", os.defpath)

    def say(line: str) -> None:
        print(f"pythons: {line}", flush=True)

    def look() -> dict[str, list[Interpreter]]:
        return interpreters.survey(
            [interpreters.parse_spec(spec)[0] for spec in specs],
            rootfs=rootfs,
            pyenv_root=Path(environ.get("PYENV_ROOT") or Path.home() / ".pyenv"),
            path_env=path_env,
            memo_file=rootfs.parent / "interpreters.json",
            bwrap=args.bwrap,
        )

    builds = look()
    todo = plan(specs, builds)
    if not args.check:
        for line in todo.elsewhere:
            say(line)
        if todo.install:
            status = _provide(todo.install, specs, rootfs, path_env, args, look, say)
            if status is not None:
                return status
            builds = look()
    for line in table(specs, builds):
        print(line)
    missing = [spec for spec in specs if satisfied(spec, builds) is None]
    return 1 if missing and (args.check or args.require) else 0


def _provide(minors, specs, rootfs: Path, path_env: str, args, look, say) -> int | None:
    """Provision, or say in one line why not and return the exit status."""
    host = inspect_host(args.bwrap, path_env=path_env)
    sudo = [] if host.root else ["sudo", "-n"]
    reason = blocker(host, minors)
    installable = host.system == "Linux" and host.apt_get and (host.root or host.sudo)
    if reason and missing_tools(host) and installable:  # Debian or Ubuntu: say, and do it
        install_host_tools(sudo=sudo, run=run_command, say=say)
        host = inspect_host(args.bwrap, path_env=path_env)
        reason = blocker(host, minors)
    if reason:
        say(reason)
        return 1 if args.require else 0
    with locked(rootfs.with_name(rootfs.name + ".lock"), say):
        builds = look()  # another run may have provided them while this one waited
        todo = plan(specs, builds)
        if not todo.install:
            return None
        upgrade = any(i.root == str(rootfs) for m in todo.install for i in builds.get(m, []))
        try:
            provision(
                todo.install,
                rootfs=rootfs,
                mirror=args.mirror,
                upgrade=upgrade,
                sudo=sudo,
                run=run_command,
                say=say,
                mounts=lambda: Path("/proc/self/mounts").read_text(),
            )
        except ProvisionError as error:
            say(str(error))  # the table that follows shows what is still missing
    return None


if __name__ == "__main__":
    sys.exit(main())
