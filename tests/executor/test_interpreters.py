"""Discovery of CPython builds, with shell scripts standing in for interpreters.

Each fake ``python3.X`` is a shell script that prints the probe's JSON answer
and appends a line to a log, so a test can count how often it was started.
Builds "inside a root filesystem" are scripts under ``tmp_path/rootfs`` that the
fake sandbox runs directly from the host.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import shutil
import sys
from pathlib import Path

import pytest

from snippet_runner.executor import interpreters, sandbox
from snippet_runner.executor.interpreters import (
    Interpreter,
    candidates,
    choose,
    discover,
    parse_spec,
    probe,
    span,
    versions_text,
)

from .locales import switched_to_ascii_locale

ROOTFS = Path.home() / ".cache" / "pickled-state" / "debian-sid"


def answer(version: str, executable: str, **extra) -> dict:
    key = [int(part) for part in version.split(".")[:3]]
    return {
        "implementation": "CPython",
        "version": version,
        "key": key,
        "executable": executable,
        "machine": "x86_64",
        "free_threaded": False,
        **extra,
    }


def fake_python(path: Path, reply: dict | str | None, *, status: int = 0, sleep: float = 0) -> Path:
    """A script that logs its start to ``<path>.log`` and prints ``reply`` (JSON)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = reply if isinstance(reply, str) else json.dumps(reply) if reply else ""
    lines = ["#!/bin/sh", f"echo started >> '{path}.log'"]
    if sleep:
        lines.append(f"exec sleep {sleep}")  # exec: the timeout kills the sleep itself
    lines += ["cat <<'EOF'", text, "EOF", f"exit {status}"]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o755)
    return path


def starts(path: Path) -> int:
    log = Path(f"{path}.log")
    return len(log.read_text().splitlines()) if log.exists() else 0


@pytest.fixture(autouse=True)
def linux(monkeypatch):
    monkeypatch.setattr(platform, "system", lambda: "Linux")


@pytest.fixture
def fake_sandbox(monkeypatch):
    """Runs a root filesystem's /usr/bin/python3.X straight from the host; records calls."""
    calls = []

    def bwrap_command(argv, *, root="/", workdir, env, bwrap="bwrap"):
        calls.append({"root": root, "workdir": workdir, "env": env, "bwrap": bwrap})
        return [root + argv[0], *argv[1:]]

    monkeypatch.setattr(sandbox, "bwrap_command", bwrap_command)
    return calls


def find(tmp_path, specs, *, path_env="", rootfs=None, memo=True, **kwargs):
    return discover(
        specs,
        rootfs=rootfs,
        pyenv_root=tmp_path / "pyenv",
        path_env=path_env,
        memo_file=tmp_path / "memo.json" if memo else None,
        **kwargs,
    )


# -- the dataclass and labels ---------------------------------------------------


def test_minor_and_label():
    interpreter = Interpreter(
        (3, 14, 10), "3.14.10", "CPython", "/usr/bin/python3.14", "/r", "x86_64"
    )
    assert interpreter.minor == "3.14"
    assert interpreter.label == "CPython 3.14.10 · Linux x86_64"
    assert Interpreter((3, 9, 18), "3.9.18", "CPython", "/p").minor == "3.9"
    assert Interpreter((3, 9, 18), "3.9.18", "CPython", "/p").label == "CPython 3.9.18 · Linux"


def test_interpreters_are_frozen_and_hashable():
    interpreter = Interpreter((3, 9, 18), "3.9.18", "CPython", "/p")
    assert interpreter.root == "/"
    assert interpreter.machine == ""
    with pytest.raises(dataclasses.FrozenInstanceError):
        interpreter.version = "3.9.19"
    assert {interpreter: 1}[Interpreter((3, 9, 18), "3.9.18", "CPython", "/p")] == 1


def test_interpreters_sort_oldest_first():
    new = Interpreter((3, 10, 0), "3.10.0", "CPython", "/a")
    old = Interpreter((3, 9, 18), "3.9.18", "CPython", "/b")
    assert sorted([new, old]) == [old, new]


def build(version: str, root: str = "/") -> Interpreter:
    key = tuple(int(part) for part in version.split("."))
    return Interpreter(key, version, "CPython", f"/bin/python{version}", root, "x86_64")


def test_versions_text():
    assert versions_text([]) == ""
    assert versions_text([build("3.14.10")]) == "3.14.10"
    assert versions_text([build("3.13.18"), build("3.14.10")]) == "3.13.18–3.14.10"
    three = [build("3.10.13"), build("3.11.7"), build("3.12.1")]
    assert versions_text(three) == "3.10.13–3.12.1"
    assert versions_text([build("3.10.13"), build("3.12.1")]) == "3.10.13, 3.12.1"
    gap_at_end = [build("3.10.13"), build("3.11.7"), build("3.13.0")]
    assert versions_text(gap_at_end) == "3.10.13, 3.11.7, 3.13.0"
    assert versions_text([build("2.7.18"), build("3.8.0")]) == "2.7.18, 3.8.0"


def test_span():
    assert span([]) == ""
    assert span([build("3.14.10")]) == "CPython 3.14.10 · Linux x86_64"
    several = [build("3.10.13"), build("3.11.7"), build("3.12.1"), build("3.13.18")]
    several += [build("3.14.10"), build("3.15.2")]
    assert span(several) == "CPython 3.10.13–3.15.2 · Linux x86_64"
    assert span([build("3.10.13"), build("3.12.1")]) == "CPython 3.10.13, 3.12.1 · Linux x86_64"
    other = dataclasses.replace(build("3.11.7"), machine="aarch64", implementation="PyPy")
    assert span([build("3.10.13"), other]) == "CPython 3.10.13–3.11.7 · Linux x86_64"


def test_parse_spec():
    assert parse_spec("3.13") == ("3.13", (3, 13, 0))
    assert parse_spec("3.13.18") == ("3.13", (3, 13, 18))
    assert parse_spec(" 3.9 ") == ("3.9", (3, 9, 0))


@pytest.mark.parametrize("bad", ["3", "", "3.x", "3.13.", "3.13.18.1", "py3.13", "3.13rc1"])
def test_parse_spec_rejects(bad):
    with pytest.raises(ValueError, match=f"not a Python version: {bad!r} .expected 3.X or 3.X.Y."):
        parse_spec(bad)


# -- candidates -------------------------------------------------------------------


def test_candidates_from_path_in_order_skipping_empty_entries(tmp_path, monkeypatch):
    first = fake_python(tmp_path / "a" / "python3.12", None)
    second = fake_python(tmp_path / "b" / "python3.12", None)
    fake_python(tmp_path / "python3.12", None)  # "" in PATH must not mean the current folder
    monkeypatch.chdir(tmp_path)
    path_env = os.pathsep.join(["", str(first.parent), "", str(second.parent)])
    found = candidates("3.12", rootfs=None, pyenv_root=tmp_path / "pyenv", path_env=path_env)
    assert found == [(str(first), "/"), (str(second), "/")]


def test_candidates_skip_non_executables_folders_and_links_to_the_same_file(tmp_path):
    real = fake_python(tmp_path / "a" / "python3.12", None)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "python3.12").symlink_to(real)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "python3.12").write_text("#!/bin/sh\n")  # not executable
    (tmp_path / "d" / "python3.12").mkdir(parents=True)
    path_env = os.pathsep.join(str(tmp_path / d) for d in "abcd")
    found = candidates("3.12", rootfs=None, pyenv_root=tmp_path / "pyenv", path_env=path_env)
    assert found == [(str(real), "/")]


def test_candidates_from_pyenv_match_the_minor_only(tmp_path):
    pyenv = tmp_path / "pyenv"
    for version in ["3.12.1", "3.12.10", "3.1.5", "3.13.0"]:
        fake_python(pyenv / "versions" / version / "bin" / "python", None)
    found = candidates("3.12", rootfs=None, pyenv_root=pyenv, path_env="")
    assert found == [
        (str(pyenv / "versions" / "3.12.1" / "bin" / "python"), "/"),
        (str(pyenv / "versions" / "3.12.10" / "bin" / "python"), "/"),
    ]
    assert candidates("3.1", rootfs=None, pyenv_root=pyenv, path_env="") == [
        (str(pyenv / "versions" / "3.1.5" / "bin" / "python"), "/")
    ]


def test_candidates_in_the_rootfs_come_last(tmp_path):
    rootfs = tmp_path / "rootfs"
    fake_python(rootfs / "usr" / "bin" / "python3.15", None)
    on_path = fake_python(tmp_path / "bin" / "python3.15", None)
    found = candidates("3.15", rootfs=rootfs, pyenv_root=tmp_path, path_env=str(on_path.parent))
    assert found == [(str(on_path), "/"), ("/usr/bin/python3.15", str(rootfs))]
    assert candidates("3.14", rootfs=rootfs, pyenv_root=tmp_path, path_env="") == []
    assert candidates("3.15", rootfs=None, pyenv_root=tmp_path, path_env="") == []
    missing = tmp_path / "nowhere"
    assert candidates("3.15", rootfs=missing, pyenv_root=tmp_path, path_env="") == []


# -- discovery --------------------------------------------------------------------


def test_a_python_on_path(tmp_path):
    exe = tmp_path / "bin" / "python3.12"
    fake_python(exe, answer("3.12.4", str(exe), machine="aarch64"))
    found, missing = find(tmp_path, ["3.12"], path_env=str(exe.parent))
    assert found == [Interpreter((3, 12, 4), "3.12.4", "CPython", str(exe), "/", "aarch64")]
    assert missing == []


def test_a_shim_is_identified_by_the_binary_it_starts(tmp_path):
    pyenv = tmp_path / "pyenv"
    real = pyenv / "versions" / "3.11.7" / "bin" / "python3.11"
    fake_python(real, answer("3.11.7", str(real)))
    (real.parent / "python").symlink_to(real)
    shim = fake_python(tmp_path / "shims" / "python3.11", answer("3.11.7", str(real)))
    found, missing = find(tmp_path, ["3.11"], path_env=str(shim.parent))
    assert [(i.version, i.path) for i in found] == [("3.11.7", str(real))]
    assert missing == []
    assert starts(shim) == 1 and starts(real) == 1


def test_a_refusing_shim_is_skipped(tmp_path):
    shim = fake_python(
        tmp_path / "shims" / "python3.12", "pyenv: python3.12: not found", status=127
    )
    real = tmp_path / "pyenv" / "versions" / "3.12.1" / "bin" / "python"
    fake_python(real, answer("3.12.1", str(real)))
    found, missing = find(tmp_path, ["3.12"], path_env=str(shim.parent))
    assert [i.path for i in found] == [str(real)]
    assert missing == []


def test_newest_patch_wins_over_search_order(tmp_path, fake_sandbox):
    pyenv_build = tmp_path / "pyenv" / "versions" / "3.13.0" / "bin" / "python"
    fake_python(pyenv_build, answer("3.13.0", str(pyenv_build)))
    rootfs = tmp_path / "rootfs"
    fake_python(rootfs / "usr/bin/python3.13", answer("3.13.18", "/usr/bin/python3.13"))
    found, missing = find(tmp_path, ["3.13"], rootfs=rootfs)
    assert found == [
        Interpreter((3, 13, 18), "3.13.18", "CPython", "/usr/bin/python3.13", str(rootfs), "x86_64")
    ]
    assert missing == []
    assert fake_sandbox == [
        {"root": str(rootfs), "workdir": None, "env": {"PATH": "/usr/bin:/bin"}, "bwrap": "bwrap"}
    ]


def test_a_newer_host_build_beats_the_rootfs(tmp_path, fake_sandbox):
    exe = fake_python(
        tmp_path / "bin" / "python3.13", answer("3.13.20", str(tmp_path / "bin/python3.13"))
    )
    rootfs = tmp_path / "rootfs"
    fake_python(rootfs / "usr/bin/python3.13", answer("3.13.18", "/usr/bin/python3.13"))
    found, _ = find(tmp_path, ["3.13"], rootfs=rootfs, path_env=str(exe.parent), bwrap="/x/bwrap")
    assert [(i.version, i.root) for i in found] == [("3.13.20", "/")]
    assert fake_sandbox[0]["bwrap"] == "/x/bwrap"


def test_a_tie_goes_to_the_host_build(tmp_path, fake_sandbox):
    exe = fake_python(
        tmp_path / "bin" / "python3.14", answer("3.14.10", str(tmp_path / "bin/python3.14"))
    )
    rootfs = tmp_path / "rootfs"
    fake_python(rootfs / "usr/bin/python3.14", answer("3.14.10", "/usr/bin/python3.14"))
    found, _ = find(tmp_path, ["3.14"], rootfs=rootfs, path_env=str(exe.parent))
    assert [(i.path, i.root) for i in found] == [(str(exe), "/")]


def test_minimum_patch(tmp_path):
    exe = tmp_path / "bin" / "python3.13"
    fake_python(exe, answer("3.13.18", str(exe)))
    path_env = str(exe.parent)
    assert find(tmp_path, ["3.13.18"], path_env=path_env)[1] == []
    assert find(tmp_path, ["3.13"], path_env=path_env)[1] == []
    found, missing = find(tmp_path, ["3.13.19"], path_env=path_env)
    assert found == []
    assert missing == ["3.13.19: found 3.13.18, need >= 3.13.19: run `make pythons`"]


def test_missing_minors_and_order(tmp_path):
    bin_dir = tmp_path / "bin"
    for version in ["3.11.7", "3.10.13"]:
        exe = bin_dir / f"python{version[:4]}"
        fake_python(exe, answer(version, str(exe)))
    found, missing = find(tmp_path, ["3.11", "3.12", "3.10", "3.10.2"], path_env=str(bin_dir))
    assert [i.version for i in found] == ["3.10.13", "3.11.7"]
    assert missing == ["3.12: not found: run `make pythons`"]


def test_choose_with_another_hint():
    builds = {"3.13": [build("3.13.0")]}
    assert choose(["3.13.5", "3.9"], builds, hint="see the docs") == (
        [],
        ["3.13.5: found 3.13.0, need >= 3.13.5: see the docs", "3.9: not found: see the docs"],
    )
    assert choose(["3.13"], {"3.13": [build("3.13.2"), build("3.13.0")]}) == (
        [build("3.13.2")],
        [],
    )


def test_a_build_of_another_minor_does_not_count(tmp_path):
    exe = tmp_path / "bin" / "python3.12"
    fake_python(exe, answer("3.11.7", str(exe)))
    assert find(tmp_path, ["3.12"], path_env=str(exe.parent)) == (
        [],
        ["3.12: not found: run `make pythons`"],
    )


def test_a_free_threaded_build_is_skipped(tmp_path):
    exe = tmp_path / "bin" / "python3.13"
    fake_python(exe, answer("3.13.5", str(exe), free_threaded=True))
    assert find(tmp_path, ["3.13"], path_env=str(exe.parent))[0] == []


@pytest.mark.parametrize(
    "reply",
    [
        "3.12.1",
        "[]",
        {"version": "3.12.1"},
        {**answer("3.12.1", "/x"), "key": [3, 12]},
        {**answer("3.12.1", "/x"), "key": [3, 12, "1"]},
        {**answer("3.12.1", "/x"), "key": [3, 12, True]},
        {**answer("3.12.1", "/x"), "key": "3.12.1"},
        {**answer("3.12.1", "/x"), "machine": None},
        {**answer("3.12.1", "/x"), "implementation": 1},
    ],
)
def test_a_garbled_answer_is_ignored(tmp_path, reply):
    exe = tmp_path / "bin" / "python3.12"
    if isinstance(reply, dict):
        reply = {**reply, "executable": str(exe)}
    fake_python(exe, reply)
    assert find(tmp_path, ["3.12"], path_env=str(exe.parent))[0] == []


def test_an_answer_naming_a_missing_binary_is_ignored_and_not_remembered(tmp_path):
    exe = fake_python(tmp_path / "bin" / "python3.12", answer("3.12.1", str(tmp_path / "gone")))
    for _ in range(2):
        assert find(tmp_path, ["3.12"], path_env=str(exe.parent))[0] == []
    assert starts(exe) == 2


def test_a_timeout_is_not_remembered(tmp_path):
    exe = fake_python(tmp_path / "bin" / "python3.12", answer("3.12.1", "x"), sleep=5)
    for _ in range(2):
        assert find(tmp_path, ["3.12"], path_env=str(exe.parent), timeout=0.3)[0] == []
    assert starts(exe) == 2


# -- the memo ---------------------------------------------------------------------


def test_a_warm_discovery_starts_no_interpreter(tmp_path, fake_sandbox):
    exe = tmp_path / "bin" / "python3.12"
    fake_python(exe, answer("3.12.1", str(exe)))
    rootfs = tmp_path / "rootfs"
    inner = fake_python(rootfs / "usr/bin/python3.15", answer("3.15.2", "/usr/bin/python3.15"))
    first = find(tmp_path, ["3.12", "3.15"], path_env=str(exe.parent), rootfs=rootfs)
    inode = (tmp_path / "memo.json").stat().st_ino
    second = find(tmp_path, ["3.12", "3.15"], path_env=str(exe.parent), rootfs=rootfs)
    assert first == second
    assert [i.version for i in second[0]] == ["3.12.1", "3.15.2"]
    assert starts(exe) == 1 and starts(inner) == 1
    assert len(fake_sandbox) == 1
    assert (tmp_path / "memo.json").stat().st_ino == inode, "an unchanged memo was rewritten"
    memo = json.loads((tmp_path / "memo.json").read_text())
    stat = inner.stat()
    key = f"{inner}|{stat.st_mtime_ns}|{stat.st_size}"
    assert memo[key] == {"answer": answer("3.15.2", "/usr/bin/python3.15"), "target": key}


def test_without_a_memo_file_every_discovery_probes(tmp_path):
    exe = tmp_path / "bin" / "python3.12"
    fake_python(exe, answer("3.12.1", str(exe)))
    for _ in range(2):
        assert len(find(tmp_path, ["3.12"], path_env=str(exe.parent), memo=False)[0]) == 1
    assert starts(exe) == 2
    assert not (tmp_path / "memo.json").exists()


def test_a_changed_binary_is_probed_again(tmp_path):
    exe = tmp_path / "bin" / "python3.12"
    fake_python(exe, answer("3.12.1", str(exe)))
    find(tmp_path, ["3.12"], path_env=str(exe.parent))
    fake_python(exe, answer("3.12.10", str(exe)))  # upgraded in place: another size
    found, _ = find(tmp_path, ["3.12"], path_env=str(exe.parent))
    assert [i.version for i in found] == ["3.12.10"]
    stat = exe.stat()
    os.utime(exe, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # only touched
    find(tmp_path, ["3.12"], path_env=str(exe.parent))
    assert starts(exe) == 3


def test_a_shim_is_probed_again_when_its_target_changes(tmp_path):
    real = tmp_path / "opt" / "python3.12"
    fake_python(real, answer("3.12.1", str(real)))
    shim = fake_python(tmp_path / "bin" / "python3.12", answer("3.12.1", str(real)))
    find(tmp_path, ["3.12"], path_env=str(shim.parent))
    find(tmp_path, ["3.12"], path_env=str(shim.parent))
    assert starts(shim) == 1
    fake_python(real, answer("3.12.8", str(real)) | {"machine": "x86_64 "})  # upgraded
    old = shim.stat()
    shim.write_text(shim.read_text().replace("3.12.1", "3.12.8").replace("12, 1]", "12, 8]"))
    os.utime(shim, ns=(old.st_atime_ns, old.st_mtime_ns))  # the shim's stamp is unchanged
    found, _ = find(tmp_path, ["3.12"], path_env=str(shim.parent))
    assert starts(shim) == 2
    assert [i.version for i in found] == ["3.12.8"]


def test_a_refusing_host_binary_is_remembered(tmp_path):
    shim = fake_python(tmp_path / "shims" / "python3.12", "no", status=127)
    for _ in range(2):
        assert find(tmp_path, ["3.12"], path_env=str(shim.parent))[0] == []
    assert starts(shim) == 1


def test_a_failure_inside_the_sandbox_is_not_remembered(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_command", lambda argv, **kw: ["false"])
    rootfs = tmp_path / "rootfs"
    fake_python(rootfs / "usr/bin/python3.15", answer("3.15.2", "/usr/bin/python3.15"))
    assert find(tmp_path, ["3.15"], rootfs=rootfs) == ([], ["3.15: not found: run `make pythons`"])
    assert not (tmp_path / "memo.json").exists()


@pytest.mark.parametrize("damage", ["{not json", "[1, 2]", '"text"', "", "\x00\xff"])
def test_a_damaged_memo_is_ignored_and_rewritten(tmp_path, damage):
    exe = tmp_path / "bin" / "python3.12"
    fake_python(exe, answer("3.12.1", str(exe)))
    (tmp_path / "memo.json").write_text(damage)
    found, _ = find(tmp_path, ["3.12"], path_env=str(exe.parent))
    assert [i.version for i in found] == ["3.12.1"]
    memo = json.loads((tmp_path / "memo.json").read_text())
    assert [entry["answer"]["version"] for entry in memo.values()] == ["3.12.1"]
    assert not list(tmp_path.glob("memo.json.*.tmp"))


@pytest.mark.parametrize(
    "entry",
    [
        "text",
        {},
        {"answer": {"version": "3.12.99"}, "target": "x"},
        {"answer": answer("3.12.99", "EXE"), "target": "stale"},
        {"answer": answer("3.12.99", "/gone/python"), "target": "x"},
    ],
)
def test_a_damaged_or_stale_memo_entry_is_probed_again(tmp_path, entry):
    exe = tmp_path / "bin" / "python3.12"
    fake_python(exe, answer("3.12.1", str(exe)))
    stat = exe.stat()
    key = f"{exe}|{stat.st_mtime_ns}|{stat.st_size}"
    entry = json.loads(json.dumps(entry).replace("EXE", str(exe)))
    (tmp_path / "memo.json").write_text(json.dumps({key: entry}))
    found, _ = find(tmp_path, ["3.12"], path_env=str(exe.parent))
    assert [i.version for i in found] == ["3.12.1"]
    assert starts(exe) == 1


def test_a_valid_memo_entry_is_believed(tmp_path):
    exe = tmp_path / "bin" / "python3.12"
    fake_python(exe, answer("3.12.1", str(exe)))
    stat = exe.stat()
    key = f"{exe}|{stat.st_mtime_ns}|{stat.st_size}"
    memo = {key: {"answer": answer("3.12.99", str(exe)), "target": key}}
    (tmp_path / "memo.json").write_text(json.dumps(memo))
    found, _ = find(tmp_path, ["3.12"], path_env=str(exe.parent))
    assert [i.version for i in found] == ["3.12.99"]
    assert starts(exe) == 0


def test_probe_drops_candidates_that_vanished_and_duplicates(tmp_path):
    exe = tmp_path / "bin" / "python3.12"
    fake_python(exe, answer("3.12.1", str(exe)))
    link = tmp_path / "link"
    link.symlink_to(exe)
    gone = (str(tmp_path / "gone"), "/")
    found = probe([gone, (str(exe), "/"), (str(link), "/")], memo_file=None)
    assert [i.path for i in found] == [str(exe)]


def test_the_probe_runs_isolated_and_reports_this_interpreter():
    """The real probe text, run by the interpreter running the tests."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-I", "-c", interpreters.PROBE], capture_output=True)
    reply = json.loads(done.stdout)
    assert reply["key"] == list(sys.version_info[:3])
    assert reply["executable"] == os.path.realpath(sys.executable)
    assert reply["version"] == platform.python_version()
    assert reply["free_threaded"] is False


# -- the real root filesystem ------------------------------------------------------


@pytest.mark.skipif(not ROOTFS.is_dir(), reason=f"no Debian-sid rootfs at {ROOTFS} (make pythons)")
def test_debian_sid_builds_through_bubblewrap(tmp_path):
    problem = sandbox.available()
    if problem:
        pytest.skip(problem)
    specs = ["3.13.18", "3.14.10", "3.15.2"]
    found, missing = discover(
        specs, rootfs=ROOTFS, pyenv_root=tmp_path, path_env="", memo_file=tmp_path / "m.json"
    )
    assert missing == []
    assert [i.minor for i in found] == ["3.13", "3.14", "3.15"]
    for interpreter, spec in zip(found, specs, strict=True):
        assert interpreter.key >= parse_spec(spec)[1]
        assert interpreter.path == f"/usr/bin/python{interpreter.minor}"
        assert interpreter.root == str(ROOTFS)
        assert interpreter.implementation == "CPython"
        assert interpreter.machine == platform.machine()
    assert shutil.which("bwrap")


def test_the_memo_folder_is_created(tmp_path):
    exe = fake_python(
        tmp_path / "bin" / "python3.12", answer("3.12.1", str(tmp_path / "bin/python3.12"))
    )
    memo_file = tmp_path / "new" / "deeper" / "memo.json"
    probe([(str(exe), "/")], memo_file=memo_file)
    assert list(json.loads(memo_file.read_text()).values())[0]["answer"]["version"] == "3.12.1"


def test_each_candidate_is_started_once(tmp_path):
    exe = fake_python(
        tmp_path / "bin" / "python3.12", answer("3.12.1", str(tmp_path / "bin/python3.12"))
    )
    assert len(probe([(str(exe), "/"), (str(exe), "/")], memo_file=None)) == 1
    assert starts(exe) == 1
    found = interpreters.survey(
        ["3.12", "3.12"], rootfs=None, pyenv_root=tmp_path, path_env=str(exe.parent), memo_file=None
    )
    assert list(found) == ["3.12"] and [i.version for i in found["3.12"]] == ["3.12.1"]
    assert starts(exe) == 2


def test_survey_and_probe_use_bwrap_by_default(tmp_path, fake_sandbox):
    rootfs = tmp_path / "rootfs"
    fake_python(rootfs / "usr/bin/python3.15", answer("3.15.2", "/usr/bin/python3.15"))
    interpreters.survey(["3.15"], rootfs=rootfs, pyenv_root=tmp_path, path_env="", memo_file=None)
    probe([("/usr/bin/python3.15", str(rootfs))], memo_file=None)
    assert [call["bwrap"] for call in fake_sandbox] == ["bwrap", "bwrap"]


def test_survey_lists_every_build_newest_first(tmp_path, fake_sandbox):
    pyenv = tmp_path / "pyenv"
    for version in ["3.13.0", "3.13.5"]:
        exe = pyenv / "versions" / version / "bin" / "python"
        fake_python(exe, answer(version, str(exe)))
    rootfs = tmp_path / "rootfs"
    fake_python(rootfs / "usr/bin/python3.13", answer("3.13.18", "/usr/bin/python3.13"))
    found = interpreters.survey(
        ["3.13", "3.14"], rootfs=rootfs, pyenv_root=pyenv, path_env="", memo_file=None
    )
    assert {minor: [i.version for i in builds] for minor, builds in found.items()} == {
        "3.13": ["3.13.18", "3.13.5", "3.13.0"],
        "3.14": [],
    }


def test_survey_accepts_any_iterable_of_minors(tmp_path):
    exe = fake_python(
        tmp_path / "bin" / "python3.12", answer("3.12.1", str(tmp_path / "bin/python3.12"))
    )
    found = interpreters.survey(
        iter(["3.12"]), rootfs=None, pyenv_root=tmp_path, path_env=str(exe.parent), memo_file=None
    )
    assert {minor: [i.version for i in builds] for minor, builds in found.items()} == {
        "3.12": ["3.12.1"]
    }
    assert interpreters.PROBE_TIMEOUT == 20


def test_entries_of_replaced_binaries_are_dropped_when_the_memo_is_written(tmp_path):
    exe = fake_python(
        tmp_path / "bin" / "python3.12", answer("3.12.1", str(tmp_path / "bin/python3.12"))
    )
    other = fake_python(tmp_path / "opt" / "python3.11", None)
    stat = other.stat()
    kept = f"{other}|{stat.st_mtime_ns}|{stat.st_size}"
    stale = {f"{other}|{stat.st_mtime_ns + 1}|{stat.st_size}", f"{tmp_path}/gone|1|2", "x"}
    entry = {"answer": None, "target": None}
    memo = {key: entry for key in [kept, *stale]}
    (tmp_path / "memo.json").write_text(json.dumps(memo))
    find(tmp_path, ["3.12"], path_env=str(exe.parent))
    stat = exe.stat()
    written = json.loads((tmp_path / "memo.json").read_text())
    assert sorted(written) == sorted([kept, f"{exe}|{stat.st_mtime_ns}|{stat.st_size}"])


# -- what survived mutation testing ---------------------------------------------------


def test_the_interpreter_running_the_tests_is_found_even_with_stdin_open():
    # Started from a terminal, the build's stdin stays open: the probe must not read it.
    read, write = os.pipe()
    saved = os.dup(0)
    os.dup2(read, 0)
    os.close(read)
    try:
        found = probe([(sys.executable, "/")], memo_file=None, timeout=10)
    finally:
        os.dup2(saved, 0)
        os.close(saved)
        os.close(write)
    assert [(i.key, i.version, i.path, i.root) for i in found] == [
        (
            tuple(sys.version_info[:3]),
            platform.python_version(),
            os.path.realpath(sys.executable),
            "/",
        )
    ]


def test_a_candidate_that_prints_bytes_that_are_not_text_is_no_interpreter(tmp_path):
    path = tmp_path / "bin" / "python3.12"
    path.parent.mkdir()
    path.write_text("#!/bin/sh\nprintf '\\377\\376\\n'\n")
    path.chmod(0o755)
    assert probe([(str(path), "/")], memo_file=None) == []


def test_a_candidate_that_answers_then_fails_is_no_interpreter(tmp_path):
    path = fake_python(tmp_path / "bin" / "python3.12", None, status=1)
    fake_python(path, answer("3.12.1", str(path)), status=1)
    assert probe([(str(path), "/")], memo_file=None) == []


def test_a_relative_folder_on_path_is_searched_from_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = fake_python(tmp_path / "bin" / "python3.99", None)
    fake_python(path, answer("3.99.1", str(path)))
    listed = candidates("3.99", rootfs=None, pyenv_root=tmp_path / "none", path_env="bin")
    assert listed == [("bin/python3.99", "/")]
    assert [i.version for i in probe(listed, memo_file=None)] == ["3.99.1"]


def test_an_interpreter_in_a_folder_with_a_bar_in_its_name_is_remembered(tmp_path):
    path = fake_python(tmp_path / "a|b" / "python3.12", None)
    fake_python(path, answer("3.12.1", str(path)))
    memo = tmp_path / "memo.json"
    for _ in range(2):
        assert [i.version for i in probe([(str(path), "/")], memo_file=memo)] == ["3.12.1"]
    assert starts(path) == 1


def test_a_memo_in_utf8_is_read_whatever_the_locale(tmp_path):
    path = fake_python(tmp_path / "café" / "python3.12", None)
    fake_python(path, answer("3.12.1", str(path)))
    memo = tmp_path / "memo.json"
    probe([(str(path), "/")], memo_file=memo)
    # The same memo, its text not \u-escaped (JSON is UTF-8, whoever writes it).
    text = json.dumps(json.loads(memo.read_text(encoding="utf-8")), ensure_ascii=False)
    memo.write_text(text, encoding="utf-8")
    assert "é".encode() in memo.read_bytes()
    with switched_to_ascii_locale():
        found = probe([(str(path), "/")], memo_file=memo)
    assert [i.version for i in found] == ["3.12.1"]
    assert starts(path) == 1
