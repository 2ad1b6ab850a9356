"""Config.load: pyproject's [tool.snippet-runner] table plus the SNIPPET_* variables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from snippet_runner.executor import config as config_module
from snippet_runner.executor.config import DEFAULTS, Config, ConfigError, is_on, parse_bool

from .locales import switched_to_ascii_locale


def load(tmp_path: Path, table: str | None = None, **environ: str) -> Config:
    """Config of a project in ``tmp_path`` whose pyproject holds ``table`` (None: no file)."""
    if table is not None:
        (tmp_path / "pyproject.toml").write_text(
            "[project]\nname = 'x'\n\n[tool.snippet-runner]\n" + table, encoding="utf-8"
        )
    return Config.load(tmp_path, environ)


@pytest.fixture(autouse=True)
def _cpus(monkeypatch):
    # jobs = 0 means "one per CPU": pin the CPU count so that values are exact.
    monkeypatch.setattr(config_module.os, "cpu_count", lambda: 6)


# -- defaults ------------------------------------------------------------------


def test_defaults_without_a_pyproject(tmp_path):
    cfg = load(tmp_path)
    assert cfg == Config(
        root=tmp_path,
        pythons=("3.10", "3.11", "3.12", "3.13", "3.14", "3.15"),
        timeout=60.0,
        max_timeout=600.0,
        jobs=6,
        max_jobs=32,
        cache_dir=tmp_path / ".cache" / "snippet-runner",
        rootfs=Path("~/.cache/pickled-state/debian-sid").expanduser(),
        memory_mb=2048,
        cpu_seconds=300,
        output_limit=65536,
        fold_lines=60,
        execute=True,
        cache=True,
        required=False,
        sandbox="auto",
        failures_file="",
    )
    assert type(cfg.fold_lines) is int
    assert type(cfg.timeout) is float and type(cfg.max_timeout) is float
    assert type(cfg.memory_mb) is int and type(cfg.cpu_seconds) is int
    assert type(cfg.output_limit) is int and type(cfg.jobs) is int
    assert cfg.environ == {}


@pytest.mark.parametrize("text", ["[tool.other]\nx = 1\n", "[project]\nname = 'x'\n", ""])
def test_a_pyproject_without_our_table_gives_the_defaults(tmp_path, text):
    (tmp_path / "pyproject.toml").write_text(text)
    assert load(tmp_path) == Config(
        root=tmp_path,
        jobs=6,
        cache_dir=tmp_path / DEFAULTS["cache-dir"],
        rootfs=Path(DEFAULTS["rootfs"]).expanduser(),
    )


def test_the_defaults_table():
    assert DEFAULTS == {
        "pythons": ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"],
        "timeout": 60,
        "max-timeout": 600,
        "jobs": 0,
        "max-jobs": 32,
        "cache-dir": ".cache/snippet-runner",
        "rootfs": "~/.cache/pickled-state/debian-sid",
        "memory-mb": 2048,
        "cpu-seconds": 300,
        "output-limit": 65536,
        "fold-lines": 60,
    }


def test_class_defaults_match_the_defaults_table(tmp_path):
    bare = Config(root=tmp_path)
    assert bare.pythons == tuple(DEFAULTS["pythons"])
    assert (bare.timeout, bare.max_timeout, bare.memory_mb, bare.cpu_seconds) == (
        60,
        600,
        2048,
        300,
    )
    assert bare.output_limit == DEFAULTS["output-limit"] == 64 * 1024
    assert bare.fold_lines == DEFAULTS["fold-lines"] == 60
    assert bare.cache_dir == Path(DEFAULTS["cache-dir"])
    assert bare.max_jobs == DEFAULTS["max-jobs"] == 32
    # Not expanded when the module is imported (HOME may change before a build): load() does.
    assert bare.rootfs == Path(DEFAULTS["rootfs"]) and str(bare.rootfs).startswith("~")
    assert (bare.execute, bare.cache, bare.required, bare.sandbox) == (True, True, False, "auto")


def test_no_cpu_count_means_one_job(tmp_path, monkeypatch):
    monkeypatch.setattr(config_module.os, "cpu_count", lambda: None)
    assert load(tmp_path).jobs == 1
    assert load(tmp_path, SNIPPET_JOBS="3").jobs == 3


def test_environ_none_reads_the_process_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SNIPPET_JOBS", "5")
    monkeypatch.setenv("SNIPPET_SANDBOX", "off")
    cfg = Config.load(tmp_path)
    assert (cfg.jobs, cfg.sandbox) == (5, "off")
    assert cfg.environ["SNIPPET_JOBS"] == "5"
    assert cfg.environ == dict(os.environ)


def test_the_environ_given_is_kept_as_a_copy(tmp_path):
    environ = {"SNIPPET_JOBS": "2", "OTHER": "x"}
    cfg = Config.load(tmp_path, environ)
    environ["OTHER"] = "changed"
    assert cfg.environ == {"SNIPPET_JOBS": "2", "OTHER": "x"}
    assert type(cfg.environ) is dict


def test_environ_is_not_compared_nor_shown(tmp_path):
    assert load(tmp_path, OTHER="1") == load(tmp_path, OTHER="2")
    assert "OTHER" not in repr(load(tmp_path, OTHER="1"))


# -- the pyproject table -------------------------------------------------------


def test_every_key_of_the_table(tmp_path):
    cfg = load(
        tmp_path,
        'pythons = ["3.12", "3.13.18"]\n'
        "timeout = 30\n"
        "max-timeout = 90.5\n"
        "jobs = 3\n"
        'cache-dir = "build/cache"\n'
        'rootfs = "/srv/sid"\n'
        "memory-mb = 512\n"
        "cpu-seconds = 20\n"
        "output-limit = 1000\n"
        "fold-lines = 12\n",
    )
    assert (cfg.pythons, cfg.timeout, cfg.max_timeout, cfg.jobs) == (
        ("3.12", "3.13.18"),
        30.0,
        90.5,
        3,
    )
    assert type(cfg.timeout) is float
    assert cfg.cache_dir == tmp_path / "build" / "cache"
    assert cfg.rootfs == Path("/srv/sid")
    assert (cfg.memory_mb, cfg.cpu_seconds, cfg.output_limit, cfg.fold_lines) == (512, 20, 1000, 12)


def test_pythons_are_strings(tmp_path):
    assert load(tmp_path, "pythons = [3.12, '3.13']\n").pythons == ("3.12", "3.13")


def test_zero_is_a_valid_number(tmp_path):
    cfg = load(tmp_path, "timeout = 0\nmemory-mb = 0\n")
    assert (cfg.timeout, cfg.memory_mb) == (0.0, 0)


def test_unknown_keys_are_an_error(tmp_path):
    with pytest.raises(ConfigError) as error:
        load(tmp_path, "time-out = 3\nzz = 1\ntimeout = 4\n")
    assert str(error.value) == (
        f"{tmp_path / 'pyproject.toml'}: [tool.snippet-runner] has unknown keys "
        f"['time-out', 'zz']; known: {sorted(DEFAULTS)}"
    )
    assert "'cache-dir', 'cpu-seconds'" in str(error.value)  # sorted, as written in the file


def test_unreadable_toml_is_an_error_naming_the_file(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.snippet-runner\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: ") as error:
        Config.load(tmp_path, {})
    assert str(error.value).startswith(f"{tmp_path / 'pyproject.toml'}: ")
    assert error.value.__cause__ is None and error.value.__suppress_context__


def test_non_utf8_pyproject_is_an_error(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.snippet-runner]\ntimeout = 1 # \xff\n")
    with pytest.raises(ConfigError, match=r"pyproject\.toml: .*utf-8"):
        Config.load(tmp_path, {})


def test_a_folder_named_pyproject_is_ignored(tmp_path):
    (tmp_path / "pyproject.toml").mkdir()
    assert Config.load(tmp_path, {}).timeout == 60.0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('timeout = "abc"', "timeout = 'abc' is not a number"),
        ("timeout = [1]", "timeout = [1] is not a number"),
        ("timeout = inf", "timeout = inf must be a finite number >= 0"),
        ("timeout = -inf", "timeout = -inf must be a finite number >= 0"),
        ("timeout = nan", "timeout = nan must be a finite number >= 0"),
        ("timeout = -1", "timeout = -1 must be a finite number >= 0"),
        ("timeout = -0.001", "timeout = -0.001 must be a finite number >= 0"),
        ("max-timeout = -5", "max-timeout = -5 must be a finite number >= 0"),
        ('max-timeout = "x"', "max-timeout = 'x' is not a number"),
        ("memory-mb = -1", "memory-mb = -1 must be a finite number >= 0"),
        ('memory-mb = "lots"', "memory-mb = 'lots' is not a number"),
        ("memory-mb = nan", "memory-mb = nan is not a number"),
        ("cpu-seconds = -2", "cpu-seconds = -2 must be a finite number >= 0"),
        ('cpu-seconds = "2.5"', "cpu-seconds = '2.5' is not a number"),
        ("output-limit = -1", "output-limit = -1 must be a finite number >= 0"),
        ('output-limit = "1k"', "output-limit = '1k' is not a number"),
        ("fold-lines = -1", "fold-lines = -1 must be a finite number >= 0"),
        ('fold-lines = "many"', "fold-lines = 'many' is not a number"),
        ("jobs = -1", "jobs = -1 must be a finite number >= 0"),
        ('jobs = "many"', "jobs = 'many' is not a number"),
    ],
)
def test_bad_numbers_in_the_table(tmp_path, line, message):
    with pytest.raises(ConfigError) as error:
        load(tmp_path, line + "\n")
    assert str(error.value) == f"{tmp_path / 'pyproject.toml'}: [tool.snippet-runner] {message}"
    # "from None": the message says it all, no chained traceback.
    assert error.value.__suppress_context__ is message.endswith("is not a number")


@pytest.mark.parametrize(
    "key", ["memory-mb", "cpu-seconds", "output-limit", "fold-lines", "jobs", "max-jobs"]
)
def test_an_infinite_whole_number_is_a_config_error(tmp_path, key):
    with pytest.raises(ConfigError) as error:
        load(tmp_path, f"{key} = inf\n")
    where = f"{tmp_path / 'pyproject.toml'}: [tool.snippet-runner]"
    assert str(error.value) == f"{where} {key} = inf must be a finite number >= 0"
    assert error.value.__suppress_context__


# -- environment variables -----------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3.12", ("3.12",)),
        ("3.12,3.13", ("3.12", "3.13")),
        (" 3.12, 3.13  3.14.1 ", ("3.12", "3.13", "3.14.1")),
    ],
)
def test_snippet_pythons(tmp_path, value, expected):
    assert load(tmp_path, 'pythons = ["3.9"]\n', SNIPPET_PYTHONS=value).pythons == expected


@pytest.mark.parametrize("value", ["", " ", ", ,"])
def test_an_empty_snippet_pythons_keeps_the_table(tmp_path, value):
    assert load(tmp_path, 'pythons = ["3.9"]\n', SNIPPET_PYTHONS=value).pythons == ("3.9",)


def test_max_jobs_applies_only_when_jobs_are_one_per_cpu(tmp_path):
    assert load(tmp_path).max_jobs == 32
    assert load(tmp_path, "max-jobs = 8\n").max_jobs == 8
    assert load(tmp_path, "max-jobs = 0\n").max_jobs == 0
    # An explicit number of jobs is obeyed exactly.
    assert load(tmp_path, "jobs = 3\nmax-jobs = 8\n").max_jobs == 0
    assert load(tmp_path, "max-jobs = 8\n", SNIPPET_JOBS="2").max_jobs == 0
    assert load(tmp_path, "max-jobs = 8\n", SNIPPET_JOBS="0").max_jobs == 8


def test_a_bad_max_jobs(tmp_path):
    with pytest.raises(ConfigError) as error:
        load(tmp_path, 'max-jobs = "x"\n')
    where = f"{tmp_path / 'pyproject.toml'}: [tool.snippet-runner]"
    assert str(error.value) == f"{where} max-jobs = 'x' is not a number"


def test_snippet_jobs(tmp_path):
    assert load(tmp_path, "jobs = 3\n", SNIPPET_JOBS="4").jobs == 4
    assert load(tmp_path, "jobs = 3\n", SNIPPET_JOBS="").jobs == 3
    assert load(tmp_path, "jobs = 3\n", SNIPPET_JOBS="0").jobs == 6  # 0: one per CPU
    assert load(tmp_path, "jobs = 0\n").jobs == 6


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("x", "SNIPPET_JOBS = 'x' is not a number"),
        ("1.5", "SNIPPET_JOBS = '1.5' is not a number"),
        ("-2", "SNIPPET_JOBS = '-2' must be a finite number >= 0"),
    ],
)
def test_bad_snippet_jobs(tmp_path, value, message):
    with pytest.raises(ConfigError) as error:
        load(tmp_path, SNIPPET_JOBS=value)
    assert str(error.value) == message


@pytest.mark.parametrize(
    ("variable", "attribute"),
    [("SNIPPET_EXECUTE", "execute"), ("SNIPPET_CACHE", "cache")],
)
@pytest.mark.parametrize(
    ("value", "expected"), [("off", False), ("0", False), ("yes", True), ("ON", True), ("", False)]
)
def test_on_off_variables(tmp_path, variable, attribute, value, expected):
    assert getattr(load(tmp_path, **{variable: value}), attribute) is expected
    assert getattr(load(tmp_path), attribute) is True


@pytest.mark.parametrize(
    "variable", ["SNIPPET_EXECUTE", "SNIPPET_CACHE", "SNIPPET_PYTHONS_REQUIRED"]
)
def test_a_typo_in_a_switch_is_an_error(tmp_path, variable):
    with pytest.raises(ConfigError) as error:
        load(tmp_path, **{variable: "of"})
    assert str(error.value) == (
        f'{variable}="of" is not a switch: write one of on/off, yes/no, true/false, 1/0'
    )


@pytest.mark.parametrize(
    ("environ", "required"),
    [
        ({}, False),
        ({"SNIPPET_PYTHONS_REQUIRED": "1"}, True),
        ({"SNIPPET_PYTHONS_REQUIRED": "no"}, False),
        ({"SNIPPET_PYTHONS_REQUIRED": ""}, False),
        ({"CI": "true"}, True),
        ({"CI": " TRUE "}, True),
        ({"CI": "1"}, True),
        ({"CI": "yes"}, True),
        ({"CI": "false"}, False),
        ({"CI": ""}, False),
        ({"CI": "whatever"}, False),  # CI is not ours: anything but a yes is a no
        ({"CI": "true", "SNIPPET_PYTHONS_REQUIRED": "off"}, True),
        ({"CI": "false", "SNIPPET_PYTHONS_REQUIRED": "on"}, True),
    ],
)
def test_required(tmp_path, environ, required):
    assert load(tmp_path, **environ).required is required


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("auto", "auto"),
        ("on", "on"),
        ("off", "off"),
        (" OFF ", "off"),
        ("", "auto"),
        ("  ", "auto"),
    ],
)
def test_snippet_sandbox(tmp_path, value, expected):
    assert load(tmp_path, SNIPPET_SANDBOX=value).sandbox == expected


@pytest.mark.parametrize(("value", "shown"), [("maybe", "maybe"), ("YES", "yes"), ("1", "1")])
def test_a_bad_snippet_sandbox_is_an_error(tmp_path, value, shown):
    with pytest.raises(ConfigError) as error:
        load(tmp_path, SNIPPET_SANDBOX=value)
    assert str(error.value) == f'SNIPPET_SANDBOX="{shown}": write auto, on or off'


def test_a_relative_cache_dir_is_under_the_root(tmp_path):
    assert load(tmp_path, SNIPPET_CACHE_DIR="c/d").cache_dir == tmp_path / "c" / "d"
    assert load(tmp_path, 'cache-dir = "e"\n').cache_dir == tmp_path / "e"


def test_an_absolute_cache_dir_is_kept(tmp_path):
    assert load(tmp_path, 'cache-dir = "e"\n', SNIPPET_CACHE_DIR="/var/c").cache_dir == Path(
        "/var/c"
    )
    assert load(tmp_path, 'cache-dir = "/srv/c"\n').cache_dir == Path("/srv/c")


def test_an_empty_cache_dir_variable_keeps_the_table(tmp_path):
    assert load(tmp_path, 'cache-dir = "e"\n', SNIPPET_CACHE_DIR="").cache_dir == tmp_path / "e"


def test_home_in_paths_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", "/home/author")
    cfg = load(tmp_path, SNIPPET_CACHE_DIR="~/cache", SNIPPET_ROOTFS="~/sid")
    assert (cfg.cache_dir, cfg.rootfs) == (Path("/home/author/cache"), Path("/home/author/sid"))
    assert load(tmp_path).rootfs == Path("/home/author/.cache/pickled-state/debian-sid")
    cfg = load(tmp_path, 'cache-dir = "~/c"\nrootfs = "~/r"\n')
    assert (cfg.cache_dir, cfg.rootfs) == (Path("/home/author/c"), Path("/home/author/r"))


def test_snippet_rootfs(tmp_path):
    assert load(tmp_path, 'rootfs = "/a"\n', SNIPPET_ROOTFS="/b").rootfs == Path("/b")
    assert load(tmp_path, 'rootfs = "/a"\n', SNIPPET_ROOTFS="").rootfs == Path("/a")


def test_snippet_failures_file(tmp_path):
    assert load(tmp_path, SNIPPET_FAILURES_FILE="/tmp/f.jsonl").failures_file == "/tmp/f.jsonl"
    assert load(tmp_path).failures_file == ""


def test_every_variable_at_once(tmp_path):
    cfg = load(
        tmp_path,
        SNIPPET_PYTHONS="3.11",
        SNIPPET_JOBS="2",
        SNIPPET_PYTHONS_REQUIRED="true",
        SNIPPET_SANDBOX="on",
        SNIPPET_CACHE_DIR="/c",
        SNIPPET_ROOTFS="/r",
        SNIPPET_EXECUTE="no",
        SNIPPET_CACHE="false",
        SNIPPET_FAILURES_FILE="f",
    )
    assert cfg == Config(
        root=tmp_path,
        pythons=("3.11",),
        jobs=2,
        max_jobs=0,  # SNIPPET_JOBS given: exactly that many
        cache_dir=Path("/c"),
        rootfs=Path("/r"),
        execute=False,
        cache=False,
        required=True,
        sandbox="on",
        failures_file="f",
    )


# -- parse_bool ----------------------------------------------------------------


@pytest.mark.parametrize("word", ["1", "on", "yes", "true", "ON", "Yes", "TRUE", " true ", "on\n"])
def test_parse_bool_true(word):
    assert parse_bool(word, name="x") is True


@pytest.mark.parametrize("word", ["0", "off", "no", "false", "", "OFF", "No", "False", "  "])
def test_parse_bool_false(word):
    assert parse_bool(word, name="x") is False


@pytest.mark.parametrize("word", ["of", "y", "n", "2", "truee", "enable", "-1", "t", "f"])
def test_parse_bool_rejects_anything_else(word):
    with pytest.raises(ConfigError) as error:
        parse_bool(word, name="hangs")
    assert str(error.value) == (
        f'hangs="{word}" is not a switch: write one of on/off, yes/no, true/false, 1/0'
    )


def test_parse_bool_accepts_non_strings():
    assert parse_bool(1, name="x") is True
    assert parse_bool(True, name="x") is True
    assert parse_bool(False, name="x") is False


# -- is_on (markdown-exec's lenient reading of a fence switch) -------------------


@pytest.mark.parametrize("word", ["0", "off", "no", "false", "", "OFF", " No ", "FALSE", False, 0])
def test_is_on_is_false_for_the_off_words(word):
    assert is_on(word) is False


@pytest.mark.parametrize("word", ["1", "on", "yes", "true", "TRUE", "of", "y", "anything", True, 2])
def test_is_on_is_true_for_anything_else(word):
    # Unlike parse_bool, a typo is not an error here: markdown-exec reads it so.
    assert is_on(word) is True


def test_config_error_is_a_value_error():
    assert issubclass(ConfigError, ValueError)


# -- but -----------------------------------------------------------------------


def test_but_changes_only_what_it_is_told(tmp_path):
    cfg = load(tmp_path, SNIPPET_JOBS="3", OTHER="kept")
    changed = cfg.but(jobs=1, cache=False)
    assert (changed.jobs, changed.cache) == (1, False)
    assert (cfg.jobs, cfg.cache) == (3, True)
    assert changed == Config(**{**vars(cfg), "jobs": 1, "cache": False})
    assert changed.environ == {"SNIPPET_JOBS": "3", "OTHER": "kept"}
    assert cfg.but() == cfg and cfg.but() is not cfg


def test_but_rejects_unknown_settings(tmp_path):
    with pytest.raises(TypeError):
        load(tmp_path).but(colour="red")


def test_config_is_frozen(tmp_path):
    cfg = load(tmp_path)
    with pytest.raises(AttributeError):
        cfg.jobs = 2  # type: ignore[misc]


def test_a_pyproject_is_read_as_utf8_whatever_the_locale(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        "[project]\nname = 'x'\nauthors = [{ name = 'José Müller' }]\n\n"
        "[tool.snippet-runner]\ntimeout = 5\n",
        encoding="utf-8",
    )
    with switched_to_ascii_locale():
        config = Config.load(tmp_path, {})
    assert config.timeout == 5.0
