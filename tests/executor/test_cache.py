"""The disk cache: a stored result comes back as it was, anything else as None."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from snippet_runner.executor.cache import Cache
from snippet_runner.executor.process import RunResult

from .locales import ascii_locale  # noqa: F401 - the fixture, found by name

KEY = "ab" + "c" * 62
RESULT = RunResult(
    stdout="hello\n",
    stderr="warning: é\n",
    returncode=3,
    timed_out=False,
    seconds=1.5,
    timeout=60.0,
    cpu_seconds=0.25,
)
FIELDS = ["stdout", "stderr", "returncode", "timed_out", "seconds", "timeout", "cpu_seconds"]


def checksum(key: str, result: dict) -> str:
    """The checksum as documented: sha256 of the JSON of [key, result] with sorted keys."""
    return hashlib.sha256(json.dumps([key, result], sort_keys=True).encode()).hexdigest()


def write_entry(cache: Cache, at: str, result: dict, **overrides) -> Path:
    """An entry for key ``at``, written by hand, with a checksum that matches unless overridden."""
    entry = {"key": at, "checksum": checksum(at, result), "result": result, **overrides}
    path = cache.path(at)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(entry), encoding="utf-8")
    return path


def as_dict(result: RunResult = RESULT) -> dict:
    return {name: getattr(result, name) for name in FIELDS}


@pytest.fixture
def cache(tmp_path) -> Cache:
    return Cache(tmp_path / "cache")


def test_path(tmp_path):
    assert Cache(tmp_path).root == tmp_path
    assert Cache(tmp_path).path("0123abc") == tmp_path / "01" / "0123abc.json"


def test_absent_is_none(cache):
    assert cache.load(KEY) is None
    assert not cache.root.exists()


def test_round_trip(cache):
    assert cache.store(KEY, RESULT) is None
    loaded = cache.load(KEY)
    assert loaded == RESULT
    assert type(loaded.seconds) is float and type(loaded.returncode) is int
    # One file, at its path, nothing else left behind (no temporary file).
    assert sorted(p.relative_to(cache.root).as_posix() for p in cache.root.rglob("*")) == [
        "ab",
        f"ab/{KEY}.json",
    ]


def test_the_stored_entry_format(cache):
    cache.store(KEY, RESULT)
    entry = json.loads(cache.path(KEY).read_text(encoding="utf-8"))
    assert entry == {"key": KEY, "checksum": checksum(KEY, as_dict()), "result": as_dict()}


@pytest.mark.parametrize(
    "result",
    [
        RunResult("", "", None, True, 2.0, 2.0),
        RunResult("x", "y", -9, False, 0, 1),
        RunResult("a\x00b\\xff", "\ud800", 0, False, 0.1, 0.5, 0.0),
    ],
)
def test_round_trip_of_other_results(cache, result):
    assert cache.store(KEY, result) is None
    assert cache.load(KEY) == result


def test_storing_again_replaces_the_entry(cache):
    cache.store(KEY, RESULT)
    other = RunResult("other\n", "", 0, False, 0.5, 60.0)
    assert cache.store(KEY, other) is None
    assert cache.load(KEY) == other
    assert len(list(cache.path(KEY).parent.iterdir())) == 1


def test_keys_are_separate(cache):
    other_key = "ab" + "d" * 62
    other = RunResult("other\n", "", 0, False, 0.5, 60.0)
    cache.store(KEY, RESULT)
    cache.store(other_key, other)
    assert (cache.load(KEY), cache.load(other_key)) == (RESULT, other)


def test_a_hand_written_entry_with_keys_in_any_order_loads(cache):
    result = dict(reversed(list(as_dict().items())))
    write_entry(cache, KEY, result)
    assert cache.load(KEY) == RESULT


def test_an_int_time_loads(cache):
    write_entry(cache, KEY, {**as_dict(), "seconds": 2, "timeout": 60})
    assert cache.load(KEY) == RunResult("hello\n", "warning: é\n", 3, False, 2, 60, 0.25)


def test_a_timed_out_result_has_no_returncode(cache):
    write_entry(cache, KEY, {**as_dict(), "returncode": None, "timed_out": True})
    assert cache.load(KEY).returncode is None


# -- tampered entries ----------------------------------------------------------


def test_changed_stdout_is_rejected(cache):
    cache.store(KEY, RESULT)
    path = cache.path(KEY)
    entry = json.loads(path.read_text())
    entry["result"]["stdout"] = "tampered\n"
    path.write_text(json.dumps(entry))
    assert cache.load(KEY) is None


def test_changed_checksum_is_rejected(cache):
    write_entry(cache, KEY, as_dict(), checksum="0" * 64)
    assert cache.load(KEY) is None


def test_an_entry_of_another_key_is_rejected(cache):
    other_key = "ab" + "e" * 62
    cache.store(other_key, RESULT)
    cache.path(other_key).rename(cache.path(KEY))
    assert cache.load(KEY) is None


def test_a_wrong_key_with_a_matching_checksum_is_rejected(cache):
    # The checksum is right for the key inside, but that is not the key asked for.
    write_entry(cache, KEY, as_dict(), key="zz", checksum=checksum("zz", as_dict()))
    assert cache.load(KEY) is None


def test_a_checksum_made_for_another_key_is_rejected(cache):
    write_entry(cache, KEY, as_dict(), checksum=checksum("zz", as_dict()))
    assert cache.load(KEY) is None


@pytest.mark.parametrize("missing", ["key", "checksum", "result"])
def test_a_missing_entry_field_is_rejected(cache, missing):
    path = write_entry(cache, KEY, as_dict())
    entry = json.loads(path.read_text())
    del entry[missing]
    path.write_text(json.dumps(entry))
    assert cache.load(KEY) is None


@pytest.mark.parametrize("missing", FIELDS)
def test_a_missing_result_field_is_rejected(cache, missing):
    result = as_dict()
    del result[missing]
    write_entry(cache, KEY, result)
    assert cache.load(KEY) is None


def test_an_extra_result_field_is_rejected(cache):
    write_entry(cache, KEY, {**as_dict(), "extra": 1})
    assert cache.load(KEY) is None


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("stdout", 1),
        ("stdout", None),
        ("stdout", ["x"]),
        ("stderr", 0),
        ("stderr", None),
        ("returncode", "3"),
        ("returncode", 3.0),
        ("returncode", True),
        ("timed_out", 0),
        ("timed_out", "false"),
        ("timed_out", None),
        ("seconds", "1.5"),
        ("seconds", None),
        ("timeout", "60"),
        ("timeout", None),
    ],
)
def test_wrong_types_are_rejected(cache, name, value):
    write_entry(cache, KEY, {**as_dict(), name: value})
    assert cache.load(KEY) is None


@pytest.mark.parametrize("value", ["0.25", None, True])
def test_a_wrong_cpu_seconds_type_is_rejected(cache, value):
    write_entry(cache, KEY, {**as_dict(), "cpu_seconds": value})
    assert cache.load(KEY) is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        '{"key": "' + KEY + '", "checksum": ',
        "null",
        "[]",
        '"a string"',
        "42",
        '{"key": 1, "checksum": 2, "result": 3}',
        '{"key": "' + KEY + '", "checksum": "x", "result": ["stdout"]}',
    ],
)
def test_a_damaged_file_is_rejected(cache, text):
    path = cache.path(KEY)
    path.parent.mkdir(parents=True)
    path.write_text(text)
    assert cache.load(KEY) is None


def test_a_truncated_entry_is_rejected(cache):
    cache.store(KEY, RESULT)
    path = cache.path(KEY)
    text = path.read_text()
    for cut in (1, len(text) // 2, len(text) - 1):
        path.write_text(text[:cut])
        assert cache.load(KEY) is None


def test_a_result_that_is_not_an_object_is_rejected_even_with_its_checksum(cache):
    fields = list(as_dict())
    write_entry(cache, KEY, fields)  # type: ignore[arg-type]
    assert cache.load(KEY) is None
    write_entry(cache, KEY, "stdout")  # type: ignore[arg-type]
    assert cache.load(KEY) is None


def test_bytes_that_are_not_utf8_are_rejected(cache):
    path = cache.path(KEY)
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"key": "\xff"}')
    assert cache.load(KEY) is None


def test_a_folder_where_the_entry_should_be_is_none(cache):
    cache.path(KEY).mkdir(parents=True)
    assert cache.load(KEY) is None


# -- unwritable cache ----------------------------------------------------------
# The tests run as root, where permissions do not stop a write: a file where a
# folder should be does.


def test_a_file_where_the_cache_folder_should_be(tmp_path):
    (tmp_path / "cache").write_text("not a folder")
    cache = Cache(tmp_path / "cache")
    assert cache.store(KEY, RESULT) == (
        f"cannot write the cache in {tmp_path / 'cache'} (Not a directory); results are not kept"
    )
    assert cache.load(KEY) is None


def test_a_file_where_the_key_folder_should_be(cache):
    cache.root.mkdir()
    (cache.root / "ab").write_text("")
    assert cache.store(KEY, RESULT) == (
        f"cannot write the cache in {cache.root} (File exists); results are not kept"
    )


def test_a_folder_where_the_entry_should_be_cannot_be_replaced(cache):
    cache.path(KEY).mkdir(parents=True)
    assert cache.store(KEY, RESULT) == (
        f"cannot write the cache in {cache.root} (Is a directory); results are not kept"
    )


def test_a_failed_store_leaves_no_temporary_file(cache):
    cache.path(KEY).mkdir(parents=True)
    cache.store(KEY, RESULT)
    assert os.listdir(cache.path(KEY).parent) == [f"{KEY}.json"]


def test_a_failed_write_keeps_the_old_entry(cache, monkeypatch):
    cache.store(KEY, RESULT)

    def broken_dump(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("snippet_runner.executor.cache.json.dump", broken_dump)
    assert cache.store(KEY, RunResult("new", "", 0, False, 0, 1)) == (
        f"cannot write the cache in {cache.root} (No space left on device); results are not kept"
    )
    monkeypatch.undo()
    assert cache.load(KEY) == RESULT


# -- the machine's settings do not matter ------------------------------------------------


@pytest.mark.usefixtures("ascii_locale")
def test_an_entry_is_read_as_utf8_whatever_the_locale(cache):
    # JSON is UTF-8: an entry whose text is not \u-escaped loads under LANG=C too.
    path = write_entry(cache, KEY, as_dict())
    path.write_text(path.read_text(encoding="utf-8").replace("\\u00e9", "é"), encoding="utf-8")
    assert "é".encode() in path.read_bytes()
    assert cache.load(KEY) == RESULT


def test_the_entry_is_written_next_to_its_place_not_in_the_system_temp_folder(
    cache, tmp_path, monkeypatch
):
    # The rename is atomic only within one filesystem, and /tmp may be another one
    # (a tmpfs), or unusable: the system's temporary folder is never involved.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-folder"))
    assert cache.store(KEY, RESULT) is None
    assert cache.load(KEY) == RESULT


def test_a_cache_folder_removed_during_a_store_is_a_message_not_a_crash(cache, monkeypatch):
    # `make clean` in another shell while a build stores a result: the temporary
    # file is gone with its folder, and cleaning it up must not raise.
    real_dump = json.dump

    def dump_then_clean(entry, file):
        real_dump(entry, file)
        shutil.rmtree(cache.root)

    monkeypatch.setattr("snippet_runner.executor.cache.json.dump", dump_then_clean)
    assert cache.store(KEY, RESULT) == (
        f"cannot write the cache in {cache.root} (No such file or directory); results are not kept"
    )
    assert not cache.root.exists()
