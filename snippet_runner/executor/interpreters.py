"""Find the configured CPython builds on this machine and name them.

A configured entry is a minor version ("3.12") or a minimum patch release
("3.13.18": 3.13.18 or newer). The builds of a minor come from three places:
``python3.X`` anywhere on PATH, pyenv's ``versions/3.X.*/bin/python``, and
``/usr/bin/python3.X`` inside a Debian-unstable root filesystem (run through
bubblewrap with that folder as /). Where several builds of a minor exist the
newest patch release wins. Each build is identified by the real executable it
reports (``os.path.realpath(sys.executable)``), so shims and virtualenv links
collapse onto the binary they start.

Asking an interpreter about itself costs a start-up (a bubblewrap one inside
the root filesystem); the answers are memoised on disk, keyed by a stamp of
the binary (path, mtime, size), so a warm build starts no interpreter at all.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

#: What a candidate prints about itself: one JSON object. It runs under ``-I``
#: on every version the blog supports, so it uses nothing newer than 3.9.
PROBE = (
    "import json, os, platform, sys, sysconfig; print(json.dumps({"
    "'implementation': platform.python_implementation(), "
    "'version': platform.python_version(), "
    "'key': list(sys.version_info[:3]), "
    "'executable': os.path.realpath(sys.executable), "
    "'machine': platform.machine(), "
    "'free_threaded': bool(sysconfig.get_config_var('Py_GIL_DISABLED'))}))"
)

#: Seconds one probe may take (a cold start of a big binary on a busy machine).
PROBE_TIMEOUT = 20.0

#: Where a root filesystem keeps its interpreters, and the PATH of a probe there.
ROOTFS_BIN = "/usr/bin"
ROOTFS_PATH = "/usr/bin:/bin"


@dataclass(frozen=True, order=True)
class Interpreter:
    """One CPython build; instances sort oldest first."""

    key: tuple[int, int, int]  # (3, 14, 10)
    version: str  # "3.14.10" (platform.python_version(), "3.15.0a2" for a pre-release)
    implementation: str  # "CPython"
    path: str  # the real executable, as seen inside root
    root: str = "/"  # "/" for a host interpreter, else the root filesystem it lives in
    machine: str = ""  # platform.machine(), e.g. "x86_64"

    @property
    def minor(self) -> str:
        """``"3.14"``."""
        return f"{self.key[0]}.{self.key[1]}"

    @property
    def label(self) -> str:
        """``"CPython 3.14.10 · Linux x86_64"``, shown under every output."""
        return f"{self.implementation} {self.version} · {_system(self.machine)}"


def _system(machine: str) -> str:
    # Builds in the root filesystem run on the host's kernel: the system is the host's.
    return f"{platform.system()} {machine}".strip()


def parse_spec(spec: str) -> tuple[str, tuple[int, int, int]]:
    """``"3.13"`` -> ``("3.13", (3, 13, 0))``; ``"3.13.18"`` -> ``("3.13", (3, 13, 18))``."""
    parts = spec.strip().split(".")
    if len(parts) not in (2, 3) or not all(part.isdigit() for part in parts):
        raise ValueError(f"not a Python version: {spec!r} (expected 3.X or 3.X.Y)")
    major, minor, patch = (int(part) for part in [*parts, "0"][:3])
    return f"{major}.{minor}", (major, minor, patch)


# -- candidates ----------------------------------------------------------------


def candidates(
    minor: str, *, rootfs: Path | None, pyenv_root: Path, path_env: str
) -> list[tuple[str, str]]:
    """Every executable that may be a build of ``minor``, as (path inside root, root).

    Order matters only for a tie (the same version twice): PATH first, then
    pyenv, then the root filesystem, whose builds cost a sandbox to start.
    """
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    on_path = [Path(folder, f"python{minor}") for folder in path_env.split(os.pathsep) if folder]
    in_pyenv = sorted((pyenv_root / "versions").glob(f"{minor}.*/bin/python"))
    for path in [*on_path, *in_pyenv]:
        real = os.path.realpath(path)
        if real not in seen and os.path.isfile(real) and os.access(real, os.X_OK):
            seen.add(real)
            found.append((str(path), "/"))
    if rootfs is not None and _host_path(f"{ROOTFS_BIN}/python{minor}", str(rootfs)).is_file():
        found.append((f"{ROOTFS_BIN}/python{minor}", str(rootfs)))
    return found


def _host_path(path: str, root: str) -> Path:
    # Debian links its interpreters with relative symlinks, which resolve the same
    # seen from the host; the stamp only has to change when the binary does.
    return Path(path) if root == "/" else Path(root, path.lstrip("/"))


def _stamp(path: str, root: str) -> str:
    real = os.path.realpath(_host_path(path, root))
    stat = os.stat(real)
    return f"{real}|{stat.st_mtime_ns}|{stat.st_size}"


# -- probing -------------------------------------------------------------------


def _probe_argv(path: str, root: str, bwrap: str) -> list[str]:
    argv = [path, "-I", "-c", PROBE]
    if root == "/":
        return argv
    # Imported here so that discovery of host interpreters never needs the sandbox.
    from .sandbox import bwrap_command

    return bwrap_command(argv, root=root, workdir=None, env={"PATH": ROOTFS_PATH}, bwrap=bwrap)


def _ask(path: str, root: str, bwrap: str, timeout: float) -> tuple[dict | None, bool]:
    """The candidate's answer (None if it gave none), and whether that is worth remembering.

    A host executable that exits with an error (a pyenv shim refusing an
    unselected version) keeps doing so: that is remembered. A timeout, or a
    failure inside the sandbox (bubblewrap may be missing today and installed
    tomorrow), is not.
    """
    try:
        # Bytes: what a candidate prints need not be text (json.loads reads UTF-8 bytes).
        done = subprocess.run(_probe_argv(path, root, bwrap), capture_output=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return None, False
    answer = _parse(done.stdout) if done.returncode == 0 else None
    return answer, answer is not None or root == "/"


def _parse(text: bytes) -> dict | None:
    try:
        return _valid(json.loads(text))
    except ValueError:
        return None


def _valid(answer: object) -> dict | None:
    """The answer if it has every field with the right type (a memo may be damaged)."""
    fields = {"implementation": str, "version": str, "key": list, "executable": str, "machine": str}
    if not isinstance(answer, dict) or any(
        not isinstance(answer.get(name), kind) for name, kind in fields.items()
    ):
        return None
    key = answer["key"]
    if len(key) != 3 or not all(type(part) is int for part in key):
        return None
    return answer


def _interpreter(answer: dict, root: str) -> Interpreter | None:
    if answer.get("free_threaded"):
        return None  # a free-threaded build is another runtime, not a newer patch
    return Interpreter(
        key=tuple(answer["key"]),
        version=answer["version"],
        implementation=answer["implementation"],
        path=answer["executable"],
        root=root,
        machine=answer["machine"],
    )


def _read_memo(memo_file: Path | None) -> dict:
    if memo_file is None:
        return {}
    try:
        memo = json.loads(memo_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # missing or damaged: probed again and rewritten
    return memo if isinstance(memo, dict) else {}


def _current(stamp: str) -> bool:
    """Whether the binary a memo key names is still there, unchanged."""
    real, _, _ = stamp.rpartition("|")[0].rpartition("|")
    try:
        return _stamp(real, "/") == stamp
    except OSError:
        return False


def _write_memo(memo_file: Path, memo: dict) -> None:
    # Entries of removed or replaced binaries are dropped, so the file does not grow forever.
    memo = {stamp: entry for stamp, entry in memo.items() if _current(stamp)}
    memo_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = memo_file.with_name(f"{memo_file.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(memo, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, memo_file)  # readers see the old memo or the new one, never half


def _remembered(entry: object, root: str) -> tuple[bool, dict | None]:
    """(hit, answer) for a memo entry; an entry whose target binary changed is a miss.

    A shim's stamp is the shim's, so the entry also holds the stamp of the binary
    the answer names: upgrading that binary in place must not keep an old version.
    """
    if not isinstance(entry, dict) or "answer" not in entry:
        return False, None
    if entry["answer"] is None:
        return True, None
    answer = _valid(entry["answer"])
    if answer is None:
        return False, None
    try:
        return entry.get("target") == _stamp(answer["executable"], root), answer
    except OSError:
        return False, None


def probe(
    found: Iterable[tuple[str, str]],
    *,
    memo_file: Path | None,
    bwrap: str = "bwrap",
    timeout: float = PROBE_TIMEOUT,
) -> list[Interpreter]:
    """The interpreters among the candidates, one per real executable, in candidate order.

    Answers come from ``memo_file`` when the binary's stamp matches; the others
    are asked in parallel and remembered (the file is only written when it changed).
    """
    found = list(dict.fromkeys(found))  # each candidate is started once at most
    memo = _read_memo(memo_file)
    answers: dict[tuple[str, str], dict | None] = {}
    to_ask: list[tuple[str, str, str]] = []
    for path, root in found:
        try:
            stamp = _stamp(path, root)
        except OSError:
            continue  # vanished since it was listed
        hit, answer = _remembered(memo.get(stamp), root)
        if hit:
            answers[path, root] = answer
        else:
            to_ask.append((path, root, stamp))
    if to_ask:
        with ThreadPoolExecutor(max_workers=min(8, len(to_ask))) as pool:
            asked = list(pool.map(lambda c: _ask(c[0], c[1], bwrap, timeout), to_ask))
        changed = False
        for (path, root, stamp), (answer, keep) in zip(to_ask, asked, strict=True):
            try:
                target = _stamp(answer["executable"], root) if answer else None
            except OSError:
                answer, keep = None, False  # names a binary that is not there: unusable
            answers[path, root] = answer
            if keep:
                memo[stamp] = {"answer": answer, "target": target}
                changed = True
        if changed and memo_file is not None:
            _write_memo(memo_file, memo)
    interpreters: dict[tuple[str, str], Interpreter] = {}
    for path, root in found:
        answer = answers.get((path, root))
        interpreter = _interpreter(answer, root) if answer else None
        if interpreter is not None:
            interpreters.setdefault((interpreter.root, interpreter.path), interpreter)
    return list(interpreters.values())


# -- choosing ------------------------------------------------------------------


def survey(
    minors: Iterable[str],
    *,
    rootfs: Path | None,
    pyenv_root: Path,
    path_env: str,
    memo_file: Path | None,
    bwrap: str = "bwrap",
    timeout: float = PROBE_TIMEOUT,
) -> dict[str, list[Interpreter]]:
    """Every build found of each minor ("3.13"), newest first (ties keep candidate order)."""
    minors = list(minors)
    listed = [
        found
        for minor in minors
        for found in candidates(minor, rootfs=rootfs, pyenv_root=pyenv_root, path_env=path_env)
    ]
    found = probe(listed, memo_file=memo_file, bwrap=bwrap, timeout=timeout)
    return {
        m: sorted((i for i in found if i.minor == m), key=lambda i: i.key, reverse=True)
        for m in minors
    }


def choose(
    specs: Iterable[str], builds: dict[str, list[Interpreter]], *, hint: str = "run `make pythons`"
) -> tuple[list[Interpreter], list[str]]:
    """The newest build of each configured entry (oldest first), and one reason per missing one.

    A build older than the entry's minimum patch counts as missing:
    ``"3.13.18: found 3.13.0, need >= 3.13.18: run `make pythons`"``.
    """
    chosen: list[Interpreter] = []
    missing: list[str] = []
    for spec in specs:
        minor, minimum = parse_spec(spec)
        newest = next(iter(builds.get(minor, [])), None)
        if newest is None:
            missing.append(f"{spec}: not found: {hint}")
        elif newest.key < minimum:
            need = ".".join(map(str, minimum))
            missing.append(f"{spec}: found {newest.version}, need >= {need}: {hint}")
        elif newest not in chosen:
            chosen.append(newest)
    return sorted(chosen), missing


def discover(
    minors: list[str],
    *,
    rootfs: Path | None,
    pyenv_root: Path,
    path_env: str,
    memo_file: Path | None,
    bwrap: str = "bwrap",
    timeout: float = PROBE_TIMEOUT,
) -> tuple[list[Interpreter], list[str]]:
    """The configured interpreters found here (oldest first) and the reasons for the others.

    ``minors`` holds configured entries, "3.12" or "3.13.18" (a minimum patch).
    """
    builds = survey(
        [parse_spec(spec)[0] for spec in minors],
        rootfs=rootfs,
        pyenv_root=pyenv_root,
        path_env=path_env,
        memo_file=memo_file,
        bwrap=bwrap,
        timeout=timeout,
    )
    return choose(minors, builds)


# -- labels --------------------------------------------------------------------


def versions_text(interpreters: list[Interpreter]) -> str:
    """``"3.10.13–3.13.18"`` for consecutive minors, ``"3.10.13, 3.12.1"`` otherwise."""
    keys = [i.key[:2] for i in interpreters]
    consecutive = all(b == (a[0], a[1] + 1) for a, b in zip(keys, keys[1:]))
    if len(interpreters) > 1 and consecutive:
        return f"{interpreters[0].version}–{interpreters[-1].version}"
    return ", ".join(i.version for i in interpreters)


def span(interpreters: list[Interpreter]) -> str:
    """``"CPython 3.10.13–3.15.2 · Linux x86_64"`` for several, the exact label for one."""
    if not interpreters:
        return ""
    first = interpreters[0]
    return f"{first.implementation} {versions_text(interpreters)} · {_system(first.machine)}"
