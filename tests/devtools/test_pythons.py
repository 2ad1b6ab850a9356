"""`make pythons`: planning, the one-line reasons, and the commands, with fakes.

Nothing here touches the network, runs debootstrap or needs root: commands go
to a recording fake, interpreters are shell scripts.
"""

from __future__ import annotations

import fcntl
import json
import os
import platform
import threading
from pathlib import Path

import pytest

from snippet_runner.devtools import pythons
from snippet_runner.devtools.pythons import Host, Plan, ProvisionError
from snippet_runner.executor import sandbox
from snippet_runner.executor.interpreters import Interpreter

CONFIGURED = ["3.10", "3.11", "3.12", "3.13.18", "3.14.10", "3.15.2"]
PYENV = "/root/.pyenv/versions"


def build(version: str, root: str = "/") -> Interpreter:
    key = tuple(int(part) for part in version.split("."))
    minor = version.rsplit(".", 1)[0]
    path = f"/usr/bin/python{minor}" if root != "/" else f"{PYENV}/{version}/bin/python{minor}"
    return Interpreter(key, version, "CPython", path, root, "x86_64")


def builds(*versions: str, root: str = "/") -> dict[str, list[Interpreter]]:
    found: dict[str, list[Interpreter]] = {}
    for version in versions:
        found.setdefault(version.rsplit(".", 1)[0], []).append(build(version, root))
    return found


HERE = builds("3.10.13", "3.11.7", "3.12.1", "3.13.0")


@pytest.fixture(autouse=True)
def linux(monkeypatch):
    monkeypatch.setattr(platform, "system", lambda: "Linux")


# -- planning ---------------------------------------------------------------------


def test_plan_installs_the_debian_minors_that_are_missing_or_too_old():
    assert pythons.plan(CONFIGURED, HERE) == Plan(("3.13", "3.14", "3.15"), ())


def test_plan_with_everything_present_does_nothing():
    found = HERE | builds("3.13.18", "3.14.10", "3.15.2", root="/sid")
    assert pythons.plan(CONFIGURED, found) == Plan((), ())


def test_plan_boundary_of_the_minimum_patch():
    assert pythons.plan(["3.13.18"], builds("3.13.18")) == Plan((), ())
    assert pythons.plan(["3.13.18"], builds("3.13.17")) == Plan(("3.13",), ())
    assert pythons.plan(["3.13"], builds("3.13.0")) == Plan((), ())


def test_plan_looks_at_the_newest_build_only():
    found = {"3.13": [build("3.13.18", "/sid"), build("3.13.0")]}
    assert pythons.plan(["3.13.18"], found) == Plan((), ())


def test_plan_names_each_minor_once():
    assert pythons.plan(["3.13", "3.13.18", "3.15"], {}) == Plan(("3.13", "3.15"), ())


def test_plan_says_where_the_others_come_from():
    found = builds("3.11.7")
    assert pythons.plan(["3.11.9", "3.12", "3.14"], found) == Plan(
        ("3.14",),
        (
            "3.11.9: found 3.11.7, need >= 3.11.9; Debian unstable does not ship 3.11: "
            "install it with pyenv (`pyenv install 3.11`), or actions/setup-python in CI",
            "3.12: not found; Debian unstable does not ship 3.12: "
            "install it with pyenv (`pyenv install 3.12`), or actions/setup-python in CI",
        ),
    )


def test_plan_with_another_list_of_debian_minors():
    assert pythons.plan(["3.12", "3.13"], {}, debian=["3.12"]) == Plan(
        ("3.12",),
        (
            "3.13: not found; Debian unstable does not ship 3.13: "
            "install it with pyenv (`pyenv install 3.13`), or actions/setup-python in CI",
        ),
    )


def test_satisfied_and_shortfall():
    assert pythons.satisfied("3.13.18", HERE) is None
    assert pythons.satisfied("3.13", HERE) == build("3.13.0")
    assert pythons.satisfied("3.15", HERE) is None
    assert pythons.shortfall("3.13.18", HERE) == "found 3.13.0, need >= 3.13.18"
    assert pythons.shortfall("3.15", HERE) == "not found"


def test_table():
    found = HERE | builds("3.14.10", root="/sid")
    assert pythons.table(["3.10", "3.13.18", "3.14.10", "3.9"], found) == [
        f"3.10     CPython 3.10.13 · Linux x86_64  {PYENV}/3.10.13/bin/python3.10",
        "3.13.18  missing: found 3.13.0, need >= 3.13.18: run `make pythons`",
        "3.14.10  CPython 3.14.10 · Linux x86_64  /usr/bin/python3.14  (in /sid)",
        "3.9      missing: not found; Debian unstable does not ship 3.9: install it with "
        "pyenv (`pyenv install 3.9`), or actions/setup-python in CI",
    ]
    assert pythons.table([], found) == []
    assert pythons.table(["3.13", "3.14"], found) == [
        f"3.13  CPython 3.13.0 · Linux x86_64   {PYENV}/3.13.0/bin/python3.13",
        "3.14  CPython 3.14.10 · Linux x86_64  /usr/bin/python3.14  (in /sid)",
    ]


# -- the one-line reasons -----------------------------------------------------------

GOOD = Host(
    system="Linux",
    root=True,
    sudo=False,
    apt_get=True,
    debootstrap=True,
    keyring=True,
    bwrap=True,
    bwrap_problem=None,
)


def host(**changes) -> Host:
    return Host(**{**GOOD.__dict__, **changes})


def test_no_blocker_on_a_good_host():
    assert pythons.blocker(GOOD, ["3.13"]) is None
    assert pythons.blocker(host(root=False, sudo=True), ["3.13"]) is None


def test_blocker_not_linux():
    assert pythons.blocker(host(system="Darwin", root=False), ["3.13", "3.15"]) == (
        "cannot provide python3.13, python3.15 here: Debian's builds run on Linux only "
        "(this is Darwin); install them with pyenv instead"
    )


def test_blocker_no_root():
    assert pythons.blocker(host(root=False, debootstrap=False), ["3.14"]) == (
        "cannot provide python3.14: debootstrap and chroot need root and there is no "
        "passwordless sudo: run `sudo make pythons`, or install them with pyenv"
    )


def test_blocker_missing_tools():
    assert pythons.blocker(host(debootstrap=False, bwrap=False), ["3.14"]) == (
        "cannot provide python3.14: debootstrap and bubblewrap missing: install "
        "debootstrap bubblewrap debian-archive-keyring with your package manager, "
        "then run `make pythons`"
    )
    assert pythons.blocker(host(keyring=False), ["3.14"]) == (
        "cannot provide python3.14: Debian's archive keyring missing: install "
        "debootstrap bubblewrap debian-archive-keyring with your package manager, "
        "then run `make pythons`"
    )


def test_blocker_bwrap_cannot_run():
    problem = "bubblewrap (bwrap) cannot create its sandbox here: Operation not permitted"
    assert pythons.blocker(host(bwrap_problem=problem), ["3.15"]) == (
        f"cannot provide python3.15: {problem}"
    )


def test_missing_tools():
    assert pythons.missing_tools(GOOD) == []
    assert pythons.missing_tools(host(debootstrap=False, keyring=False, bwrap=False)) == [
        "debootstrap",
        "Debian's archive keyring",
        "bubblewrap",
    ]
    assert pythons.missing_tools(host(bwrap=False, bwrap_problem="x")) == ["bubblewrap"]


# -- commands -----------------------------------------------------------------------


def test_debootstrap_and_apt_commands():
    assert pythons.debootstrap_argv(["3.13", "3.15"], Path("/r.tmp"), "http://m/debian") == [
        "debootstrap",
        "--variant=minbase",
        "--include=python3.13,python3.15",
        "sid",
        "/r.tmp",
        "http://m/debian",
    ]
    assert pythons.apt_argv(Path("/r"), "install", "-y", "python3.15") == [
        "env",
        "DEBIAN_FRONTEND=noninteractive",
        "chroot",
        "/r",
        "apt-get",
        "install",
        "-y",
        "python3.15",
    ]


def test_mounts_under():
    mounts = (
        "proc /proc proc rw 0 0\n"
        "proc /r.tmp/proc proc rw 0 0\n"
        "udev /r.tmp/dev devtmpfs rw 0 0\n"
        "devpts /r.tmp/dev/pts devpts rw 0 0\n"
        "x /r.tmp/a\\040b tmpfs rw 0 0\n"
        "x /r.tmpx/proc proc rw 0 0\n"
        "x /r.tmp tmpfs rw 0 0\n"
        "\n"
        "garbage\n"
        "x /r.tmp/two\n"
    )
    assert pythons.mounts_under(mounts, "/r.tmp") == [
        "/r.tmp/dev/pts",
        "/r.tmp/proc",
        "/r.tmp/dev",
        "/r.tmp/a b",
        "/r.tmp/two",
    ]
    assert pythons.mounts_under(mounts, "/r.tmp/") == pythons.mounts_under(mounts, "/r.tmp")


class Recorder:
    """A fake Run: records argv, answers from a list of statuses (0 once they run out)."""

    def __init__(self, statuses=(), on_debootstrap=None, output="line\n"):
        self.calls: list[list[str]] = []
        self.statuses = list(statuses)
        self.on_debootstrap = on_debootstrap
        self.output = output

    def __call__(self, argv):
        self.calls.append(argv)
        if "debootstrap" in argv and self.on_debootstrap:
            self.on_debootstrap(Path(argv[-2]))
        return (self.statuses.pop(0) if self.statuses else 0), self.output


def clock(*times):
    values = iter(times)
    return lambda: next(values)


def provide(tmp_path, run, *, minors=("3.13", "3.15"), upgrade=False, sudo=(), mounts=""):
    said: list[str] = []
    pythons.provision(
        list(minors),
        rootfs=tmp_path / "sid",
        mirror="http://m",
        upgrade=upgrade,
        sudo=list(sudo),
        run=run,
        say=said.append,
        mounts=lambda: mounts,
        clock=clock(100.0, 129.4),
    )
    return said


def test_a_fresh_rootfs_is_built_aside_then_renamed(tmp_path):
    seen = []

    def debootstrap(target: Path):
        seen.append(target.name)
        target.mkdir()  # the real one needs the parent folder to exist
        (target / "usr").mkdir()

    run = Recorder(on_debootstrap=debootstrap)
    said = provide(tmp_path / "a" / "cache", run, sudo=["sudo", "-n"])
    partial = tmp_path / "a" / "cache" / "sid.tmp"
    assert run.calls == [
        ["sudo", "-n", *pythons.debootstrap_argv(["3.13", "3.15"], partial, "http://m")]
    ]
    assert seen == ["sid.tmp"]
    assert (tmp_path / "a" / "cache" / "sid" / "usr").is_dir()
    assert not partial.exists()
    assert said == [
        f"debootstrap sid with python3.13, python3.15 into {partial} …",
        "debootstrap sid … 29 s",
    ]


def test_a_failed_debootstrap_leaves_no_rootfs(tmp_path):
    run = Recorder(statuses=[1], on_debootstrap=lambda t: t.mkdir(), output="a\nb\nE: no route\n")
    with pytest.raises(ProvisionError) as error:
        provide(tmp_path, run)
    assert not (tmp_path / "sid").exists()
    argv = " ".join(pythons.debootstrap_argv(["3.13", "3.15"], tmp_path / "sid.tmp", "http://m"))
    assert str(error.value) == f"`{argv}` failed (exit 1):\na\nb\nE: no route"


def test_a_failure_quotes_the_last_lines_only(tmp_path):
    lines = [f"line {n}" for n in range(40)]
    run = Recorder(statuses=[1, 1], output="\n".join(lines) + "\n\n")
    (tmp_path / "sid").mkdir()
    with pytest.raises(ProvisionError) as error:
        provide(tmp_path, run)
    assert str(error.value).splitlines()[1:] == lines[-15:]
    assert str(error.value).startswith("`env DEBIAN_FRONTEND=noninteractive chroot ")


def test_a_leftover_partial_rootfs_is_unmounted_and_removed_first(tmp_path):
    partial = tmp_path / "sid.tmp"
    (partial / "proc").mkdir(parents=True)
    mounts = f"proc {partial}/proc proc rw 0 0\nudev {partial}/dev/pts x rw 0 0\n"
    run = Recorder()
    said = provide(tmp_path, run, mounts=mounts, minors=["3.14"], sudo=["sudo", "-n"])
    assert run.calls[:3] == [
        ["sudo", "-n", "umount", "--lazy", f"{partial}/dev/pts"],
        ["sudo", "-n", "umount", "--lazy", f"{partial}/proc"],
        ["sudo", "-n", "rm", "-rf", "--one-file-system", str(partial)],
    ]
    assert run.calls[3][2] == "debootstrap"
    assert said[0] == f"removing {partial}, left by an interrupted run"


def test_an_existing_rootfs_gets_the_missing_packages(tmp_path):
    (tmp_path / "sid").mkdir()
    run = Recorder()
    said = provide(tmp_path, run, minors=["3.15"])
    assert run.calls == [pythons.apt_argv(tmp_path / "sid", "install", "-y", "-q", "python3.15")]
    assert said == ["installed python3.15 in 29 s"]


def test_a_package_not_found_refreshes_the_lists_once(tmp_path):
    (tmp_path / "sid").mkdir()
    run = Recorder(statuses=[100, 0, 0])
    said = provide(tmp_path, run, sudo=["sudo", "-n"])
    install = ["sudo", "-n", *pythons.apt_argv(tmp_path / "sid", "install", "-y", "-q")]
    install += ["python3.13", "python3.15"]
    update = ["sudo", "-n", *pythons.apt_argv(tmp_path / "sid", "update", "-q")]
    assert run.calls == [install, update, install]
    assert said == [
        "apt-get update in the root filesystem (a package was not found)",
        "installed python3.13, python3.15 in 29 s",
    ]


def test_an_upgrade_refreshes_the_lists_first(tmp_path):
    (tmp_path / "sid").mkdir()
    run = Recorder()
    provide(tmp_path, run, minors=["3.13"], upgrade=True)
    assert run.calls == [
        pythons.apt_argv(tmp_path / "sid", "update", "-q"),
        pythons.apt_argv(tmp_path / "sid", "install", "-y", "-q", "python3.13"),
    ]


def test_a_failed_update_stops(tmp_path):
    (tmp_path / "sid").mkdir()
    run = Recorder(statuses=[100, 1])
    with pytest.raises(ProvisionError, match="apt-get update -q` failed .exit 1.:"):
        provide(tmp_path, run)
    assert len(run.calls) == 2


def test_install_host_tools():
    said = []
    run = Recorder()
    assert pythons.install_host_tools(sudo=[], run=run, say=said.append) is True
    install = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q"]
    assert run.calls == [[*install, "debootstrap", "bubblewrap", "debian-archive-keyring"]]
    assert said == [
        "installing debootstrap bubblewrap debian-archive-keyring on this machine (apt-get)"
    ]
    run = Recorder(statuses=[100, 0, 0])
    assert pythons.install_host_tools(sudo=["sudo"], run=run, say=said.append) is True
    assert run.calls[1] == ["sudo", "apt-get", "update", "-q"]
    assert run.calls[2] == run.calls[0] and run.calls[0][:2] == ["sudo", "env"]
    assert pythons.install_host_tools(sudo=[], run=Recorder([100, 1]), say=said.append) is False
    assert pythons.install_host_tools(sudo=[], run=Recorder([1, 0, 1]), say=said.append) is False


def test_run_command():
    assert pythons.run_command(["sh", "-c", "echo out; echo err >&2; exit 3"]) == (3, "out\nerr\n")
    status, output = pythons.run_command(["/nonexistent/tool"])
    assert status == 127 and "nonexistent" in output
    assert pythons.run_command(["printf", "a\\377b"]) == (0, "a\ufffdb")


def test_inspect_host(monkeypatch):
    monkeypatch.setattr(pythons, "available", lambda bwrap: f"problem with {bwrap}")
    looked = []

    def which(name, path=None):
        looked.append((name, path))
        return f"/bin/{name}"

    monkeypatch.setattr(pythons.shutil, "which", which)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    run = Recorder(statuses=[0])
    found = pythons.inspect_host("/x/bwrap", path_env="/p", run=run)
    assert run.calls == [["sudo", "-n", "true"]]
    assert found == Host(
        system="Linux",
        root=False,
        sudo=True,
        apt_get=True,
        debootstrap=True,
        keyring=Path("/usr/share/keyrings/debian-archive-keyring.gpg").is_file(),
        bwrap=True,
        bwrap_problem="problem with /x/bwrap",
    )
    assert sorted(looked) == [
        ("/x/bwrap", "/p"),
        ("apt-get", "/p"),
        ("debootstrap", os.pathsep.join(["/p", "/usr/sbin", "/sbin"])),
        ("sudo", "/p"),
    ]
    assert pythons.inspect_host("bwrap", path_env="", run=Recorder(statuses=[1])).sudo is False
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    run = Recorder()
    as_root = pythons.inspect_host("bwrap", path_env="", run=run)
    assert (as_root.root, as_root.sudo, run.calls) == (True, False, [])


@pytest.mark.parametrize("present", ["sudo", "apt-get", "debootstrap", "bwrap"])
def test_inspect_host_finds_each_tool_by_name(monkeypatch, present):
    monkeypatch.setattr(pythons, "available", lambda bwrap: None)
    monkeypatch.setattr(pythons.shutil, "which", lambda name, path=None: name == present or None)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    found = pythons.inspect_host("bwrap", path_env="", run=Recorder())
    facts = {"sudo": found.sudo, "apt-get": found.apt_get}
    facts |= {"debootstrap": found.debootstrap, "bwrap": found.bwrap}
    assert facts == {name: name == present for name in facts}


def test_frozen_records():
    assert hash(Plan((), ())) == hash(Plan((), ()))
    assert hash(GOOD) == hash(host())


def test_defaults():
    assert pythons.DEFAULT_MIRROR == "http://deb.debian.org/debian"
    assert pythons.DEBIAN_KEYRING == "/usr/share/keyrings/debian-archive-keyring.gpg"
    assert pythons.TAIL_LINES == 15
    assert pythons.DEBIAN_UNSTABLE == ("3.13", "3.14", "3.15")
    assert pythons.default_rootfs() == Path.home() / ".cache/pickled-state/debian-sid"


def test_the_lock_waits_for_another_holder(tmp_path):
    lock_file = tmp_path / "dir" / "sid.lock"
    said: list[str] = []
    entered = threading.Event()
    lock_file.parent.mkdir()
    with open(lock_file, "a") as other:
        fcntl.flock(other, fcntl.LOCK_EX)

        def provision():
            with pythons.locked(lock_file, said.append):
                entered.set()

        worker = threading.Thread(target=provision)
        worker.start()
        assert not entered.wait(0.3)
        assert said == [f"waiting for another `make pythons` (lock {lock_file}) …"]
        fcntl.flock(other, fcntl.LOCK_UN)
        worker.join(5)
    assert entered.is_set()


def test_the_lock_is_silent_when_free(tmp_path):
    said: list[str] = []
    with pythons.locked(tmp_path / "new" / "deeper" / "sid.lock", said.append):
        pass
    with pythons.locked(tmp_path / "new" / "deeper" / "sid.lock", said.append):
        pass
    assert said == []


# -- the command line ---------------------------------------------------------------


def fake_python(path: Path, version: str, executable: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    reply = {
        "implementation": "CPython",
        "version": version,
        "key": [int(p) for p in version.split(".")],
        "executable": executable,
        "machine": "x86_64",
    }
    path.write_text(f"#!/bin/sh\necho '{json.dumps(reply)}'\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def machine(tmp_path, monkeypatch):
    """A PATH with python3.12 (3.12.1) and python3.13 (3.13.0), a rootfs folder path."""
    bin_dir = tmp_path / "bin"
    for version in ["3.12.1", "3.13.0"]:
        exe = bin_dir / f"python{version[:4]}"
        fake_python(exe, version, str(exe))

    def bwrap_command(argv, *, root="/", workdir, env, bwrap="bwrap"):
        return [root + argv[0], *argv[1:]]

    monkeypatch.setattr(sandbox, "bwrap_command", bwrap_command)
    environ = {"PATH": str(bin_dir), "PYENV_ROOT": str(tmp_path / "pyenv")}
    return tmp_path / "cache" / "sid", environ


def main(machine, *args: str) -> int:
    rootfs, environ = machine
    return pythons.main([*args, "--rootfs", str(rootfs)], environ=environ)


def test_check_prints_the_table_and_fails_on_a_missing_entry(machine, capsys, monkeypatch):
    monkeypatch.setattr(
        pythons, "inspect_host", lambda bwrap, path_env: pytest.fail("must not provision")
    )
    assert main(machine, "--check", "--want", "3.12", "3.13.18") == 1
    assert capsys.readouterr().out.splitlines() == [
        f"3.12     CPython 3.12.1 · Linux x86_64  {machine[0].parent.parent}/bin/python3.12",
        "3.13.18  missing: found 3.13.0, need >= 3.13.18: run `make pythons`",
    ]
    assert main(machine, "--check", "--want", "3.12", "3.13") == 0


def test_nothing_to_do_is_quick_and_quiet(machine, capsys, monkeypatch):
    monkeypatch.setattr(
        pythons, "inspect_host", lambda bwrap, path_env: pytest.fail("must not provision")
    )
    assert main(machine, "--want", "3.13") == 0
    assert capsys.readouterr().out.startswith("3.13  CPython 3.13.0 · Linux x86_64  ")


def test_entries_from_pyproject(machine, capsys, tmp_path, monkeypatch):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.snippet-runner]\npythons = ["3.12", "3.13"]\n')
    assert pythons.configured(pyproject) == ["3.12", "3.13"]
    assert main(machine, "--check", "--pyproject", str(pyproject)) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_a_typo_is_a_usage_error(machine, capsys):
    with pytest.raises(SystemExit) as stop:
        main(machine, "--want", "3.13", "3,14")
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m snippet_runner.devtools.pythons ")
    assert err.endswith(": error: not a Python version: '3,14' (expected 3.X or 3.X.Y)\n")


def test_a_host_that_cannot_provision_says_why_in_one_line(machine, capsys, monkeypatch):
    monkeypatch.setattr(pythons, "inspect_host", lambda bwrap, path_env: host(root=False))
    assert main(machine, "--want", "3.12", "3.13.18") == 0
    assert capsys.readouterr().out == (
        "pythons: cannot provide python3.13: debootstrap and chroot need root and there is "
        "no passwordless sudo: run `sudo make pythons`, or install them with pyenv\n"
    )
    assert main(machine, "--require", "--want", "3.12", "3.13.18") == 1


def test_the_other_minors_are_named_with_where_they_come_from(machine, capsys):
    assert main(machine, "--want", "3.11", "3.13") == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "pythons: 3.11: not found; Debian unstable does not ship 3.11: install it with "
        "pyenv (`pyenv install 3.11`), or actions/setup-python in CI",
        "3.11  missing: not found; Debian unstable does not ship 3.11: install it with "
        "pyenv (`pyenv install 3.11`), or actions/setup-python in CI",
    ]
    assert main(machine, "--require", "--want", "3.11", "3.13") == 1


def test_missing_tools_are_installed_then_provisioning_runs(machine, capsys, monkeypatch):
    hosts = iter([host(debootstrap=False), GOOD])
    monkeypatch.setattr(pythons, "inspect_host", lambda bwrap, path_env: next(hosts))
    installed = []
    monkeypatch.setattr(
        pythons, "install_host_tools", lambda **kw: installed.append(kw["sudo"]) or True
    )
    calls = []

    def provision(minors, **kwargs):
        calls.append((minors, kwargs["upgrade"], kwargs["sudo"], kwargs["mirror"]))
        exe = kwargs["rootfs"] / "usr" / "bin" / "python3.15"
        fake_python(exe, "3.15.2", "/usr/bin/python3.15")

    monkeypatch.setattr(pythons, "provision", provision)
    status = main(machine, "--want", "3.13", "3.15.2", "--mirror", "http://m")
    assert status == 0
    assert installed == [[]]
    assert calls == [(("3.15",), False, [], "http://m")]
    rootfs = machine[0]
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"3.15.2  CPython 3.15.2 · Linux x86_64  /usr/bin/python3.15  (in {rootfs})"
    )
    assert (rootfs.parent / "sid.lock").exists()


def test_tools_are_not_installed_without_apt_get(machine, capsys, monkeypatch):
    monkeypatch.setattr(
        pythons, "inspect_host", lambda bwrap, path_env: host(apt_get=False, bwrap=False)
    )
    monkeypatch.setattr(pythons, "install_host_tools", lambda **kw: pytest.fail("no apt-get"))
    assert main(machine, "--want", "3.15") == 0
    assert "bubblewrap missing" in capsys.readouterr().out


def test_an_old_build_in_the_rootfs_is_upgraded_with_sudo(machine, capsys, monkeypatch):
    rootfs = machine[0]
    fake_python(rootfs / "usr/bin/python3.14", "3.14.9", "/usr/bin/python3.14")
    monkeypatch.setattr(
        pythons, "inspect_host", lambda bwrap, path_env: host(root=False, sudo=True)
    )
    calls = []
    monkeypatch.setattr(
        pythons, "provision", lambda m, **kw: calls.append((m, kw["upgrade"], kw["sudo"]))
    )
    assert main(machine, "--want", "3.13.5", "3.14.10") == 0
    assert calls == [(("3.13", "3.14"), True, ["sudo", "-n"])]


def test_a_failed_command_is_reported(machine, capsys, monkeypatch):
    monkeypatch.setattr(pythons, "inspect_host", lambda bwrap, path_env: GOOD)

    def provision(minors, **kwargs):
        raise ProvisionError("`apt-get` failed (exit 100):\nE: nope")

    monkeypatch.setattr(pythons, "provision", provision)
    assert main(machine, "--want", "3.15") == 0
    assert capsys.readouterr().out.startswith(
        "pythons: `apt-get` failed (exit 100):\nE: nope\n3.15  missing: not found"
    )
    assert main(machine, "--require", "--want", "3.15") == 1


def test_another_run_may_have_provided_it_meanwhile(machine, capsys, monkeypatch):
    rootfs = machine[0]

    def inspect(bwrap, path_env):
        fake_python(rootfs / "usr/bin/python3.15", "3.15.2", "/usr/bin/python3.15")
        return GOOD

    monkeypatch.setattr(pythons, "inspect_host", inspect)
    monkeypatch.setattr(pythons, "provision", lambda *a, **k: pytest.fail("already there"))
    assert main(machine, "--require", "--want", "3.15") == 0


def test_defaults_of_the_command_line(tmp_path, monkeypatch, capsys):
    """No --want, --rootfs, --bwrap, --mirror or environ: pyproject.toml, HOME, PATH."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("PYENV_ROOT", raising=False)
    exe = tmp_path / ".pyenv" / "versions" / "3.11.7" / "bin" / "python"
    fake_python(exe, "3.11.7", str(exe))
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.snippet-runner]\npythons = ["3.11", "3.15"]\n')
    seen = []

    def inspect(bwrap, path_env):
        seen.append((bwrap, path_env))
        return GOOD

    def provision(minors, **kwargs):
        seen.append((kwargs["rootfs"], kwargs["mirror"], "proc /proc " in kwargs["mounts"]()))

    monkeypatch.setattr(pythons, "inspect_host", inspect)
    monkeypatch.setattr(pythons, "provision", provision)
    assert pythons.main([]) == 0
    rootfs = tmp_path / ".cache" / "pickled-state" / "debian-sid"
    assert seen == [("bwrap", "/nonexistent"), (rootfs, "http://deb.debian.org/debian", True)]
    assert capsys.readouterr().out.splitlines()[0] == f"3.11  CPython 3.11.7 · Linux x86_64  {exe}"
    assert (rootfs.parent / "interpreters.json").is_file()


def test_a_host_build_that_is_too_old_is_no_reason_to_upgrade(machine, monkeypatch):
    monkeypatch.setattr(pythons, "inspect_host", lambda bwrap, path_env: GOOD)
    calls = []
    monkeypatch.setattr(pythons, "provision", lambda m, **kw: calls.append((m, kw["upgrade"])))
    assert main(machine, "--want", "3.13.18", "--bwrap", "/x/bwrap") == 0
    assert calls == [(("3.13",), False)]


def test_run_as_a_module(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "snippet_runner.devtools.pythons", "--check", "--want", "3.99"]
        + ["--rootfs", str(tmp_path / "sid")],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": "", "PYENV_ROOT": str(tmp_path)},
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (
        1,
        "3.99  missing: not found; Debian unstable does not ship 3.99: install it with "
        "pyenv (`pyenv install 3.99`), or actions/setup-python in CI\n",
    )


def test_help(capsys):
    with pytest.raises(SystemExit):
        pythons.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert text.startswith("usage: python -m snippet_runner.devtools.pythons [-h] [--check]")
    for expected in [
        "Provide the configured CPythons this machine lacks (``make pythons``).",
        "--check only report; exit 1 if missing",
        "--require exit 1 if anything is missing",
        "--want VERSION [VERSION ...] e.g. 3.12 3.13.18",
        "--rootfs ROOTFS default: ~/.cache/pickled-state/debian-sid",
    ]:
        assert expected in text
