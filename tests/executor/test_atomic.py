"""A file is replaced whole or not at all."""

from __future__ import annotations

import os

import pytest

from snippet_runner.executor.atomic import replace_file


def test_the_file_holds_what_was_written_in_utf8_and_its_folder_is_made(tmp_path):
    path = tmp_path / "new" / "folder" / "record.json"
    replace_file(path, lambda file: file.write("naïve → ok\n"))
    assert path.read_bytes() == "naïve → ok\n".encode()
    assert os.listdir(path.parent) == ["record.json"]


def test_bytes_are_written_as_they_are(tmp_path):
    path = tmp_path / "card.png"
    replace_file(path, lambda file: file.write(b"\x89PNG\xff"), binary=True)
    assert path.read_bytes() == b"\x89PNG\xff"


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(tmp_path):
    path = tmp_path / "record.json"
    path.write_text("old")

    def half_then_fail(file):
        file.write("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        replace_file(path, half_then_fail)
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["record.json"]


def test_a_folder_that_cannot_be_made_is_an_oserror(tmp_path):
    (tmp_path / "file").write_text("a file where the folder should be")
    with pytest.raises(OSError):
        replace_file(tmp_path / "file" / "record.json", lambda file: file.write("x"))
