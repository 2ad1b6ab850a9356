"""Expected files per version and their updates; the redactions and path shortening they use."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from snippet_runner.executor import expected
from snippet_runner.executor.expected import (
    STREAMS,
    expected_for,
    grouping_key,
    path_for,
    problems,
    snippet_of,
    update,
)
from snippet_runner.executor.redact import (
    PRESETS,
    CompareFileError,
    Redactor,
    Rule,
    redactor_for,
    shorten_paths,
)

from .locales import ascii_locale  # noqa: F401 - the fixture, found by name

LABEL = "CPython 3.12.7 · Linux x86_64"
FIX = "`make update-examples SLUG=demo`"


@dataclass(frozen=True)
class Fake:
    """What expected.py reads of a RunResult."""

    stdout: str
    stderr: str = ""


@pytest.fixture
def snippet(tmp_path: Path) -> Path:
    path = tmp_path / "snippets" / "demo" / "x.py"
    path.parent.mkdir(parents=True)
    path.write_text("print('x')\n")
    return path


def write(snippet: Path, name: str, text: str) -> Path:
    path = snippet.with_name(name)
    path.write_text(text, encoding="utf-8")
    return path


def files(snippet: Path) -> dict[str, str]:
    """The expected files of the folder, by name."""
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(snippet.parent.iterdir())
        if p.suffix in (".stdout", ".stderr")
    }


# -- shorten_paths --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('  File "/tmp/snippet/chunks.py", line 3', '  File "chunks.py", line 3'),
        (
            '  File "/usr/lib/python3.14/multiprocessing/pool.py", line 9',
            '  File "…/multiprocessing/pool.py", line 9',
        ),
        (
            "/root/.pyenv/versions/3.12.1/lib/python3.12/multiprocessing/pool.py:3: Warning",
            "…/multiprocessing/pool.py:3: Warning",
        ),
        (
            "x=/opt/hostedtoolcache/Python/3.12.7/x64/lib/python3.12/json/__init__.py",
            "x=…/json/__init__.py",
        ),
        ("(/usr/local/lib/python3.13/os.py)", "(…/os.py)"),
        ("'/usr/lib/python3.10/a.py' [/usr/lib/python3.11/b.py]", "'…/a.py' […/b.py]"),
        ("<module from '/usr/lib/python3.12/a.py'>", "<module from '…/a.py'>"),
        ("a:/usr/lib/python3.12/a.py,/usr/lib/python3.12/b.py", "a:…/a.py,…/b.py"),
        ("/lib/python3.11/y.py", "…/y.py"),
        ("/usr/lib/python3.12/", "…/"),
        # Not a standard library, or not a whole path: left alone.
        ("/usr/lib/python3/dist-packages/apt.py", "/usr/lib/python3/dist-packages/apt.py"),
        ("mylib/python3.12/z.py", "mylib/python3.12/z.py"),
        ("/x/mylib/python3.12/z.py", "/x/mylib/python3.12/z.py"),
        ("/usr/lib/python3.12", "/usr/lib/python3.12"),
        ("a/usr/lib/python3.12/x.py", "a/usr/lib/python3.12/x.py"),
        ("/tmp/snippet", "/tmp/snippet"),
        ("/tmp/snippet-abc/q.py", "/tmp/snippet-abc/q.py"),  # only when given
        ("plain text\n", "plain text\n"),
    ],
)
def test_shorten_paths(text, shown):
    assert shorten_paths(text) == shown
    assert shorten_paths(shown) == shown  # twice changes nothing


def test_shorten_paths_removes_the_given_working_directories():
    text = "/tmp/snippet-abc123/a.py /tmp/snippet/b.py /work/run/c.py /tmp/snippet-abc1234/d"
    assert (
        shorten_paths(text, host_workdirs=("/tmp/snippet-abc123/", "/work/run"))
        == "a.py b.py c.py /tmp/snippet-abc1234/d"
    )
    assert shorten_paths(text, workdir="/work/run") == (
        "/tmp/snippet-abc123/a.py /tmp/snippet/b.py c.py /tmp/snippet-abc1234/d"
    )
    # A directory inside another one is removed whole.
    assert shorten_paths("/w/run/c.py /w/d.py", workdir="/w", host_workdirs=("/w/run",)) == (
        "c.py d.py"
    )
    # An empty or root directory would remove every slash: ignored.
    assert shorten_paths("/a/b", workdir="", host_workdirs=("/",)) == "/a/b"


def test_shorten_paths_is_linear_on_hostile_text():
    hostile = [
        ",/a" * 100_000,  # a path start at every step, none a standard library
        "/a" * 200_000 + "/lib/python3.",
        " /" * 100_000,
        "/" * 200_000,
    ]
    for text in hostile:
        started = time.perf_counter()
        assert shorten_paths(text) == text
        assert time.perf_counter() - started < 1.0


# -- presets and Redactor ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("pid 42", "pid <pid>"),
        ("pid=42", "pid=<pid>"),
        ("pid:42", "pid:<pid>"),
        ("PID: 42", "PID: <pid>"),
        ("Pid 7 and ppid=3", "Pid <pid> and ppid=<pid>"),
        ("ppid: 3 ppid 4 ppid:5", "ppid: <pid> ppid <pid> ppid:<pid>"),
        (
            "<ForkProcess name='ForkProcess-1' pid=123 parent=12 started>",
            "<ForkProcess name='ForkProcess-1' pid=<pid> parent=<pid> started>",
        ),
        ("This process (pid=4711) is multi-threaded", "This process (pid=<pid>) is multi-threaded"),
        ("rapid 5", "rapid 5"),
        ("pid 42abc", "pid 42abc"),
        ("pid  42", "pid  42"),
        ("pid x", "pid x"),
        ("worker 3", "worker 3"),  # a counter, not clearly a pid
        ("process 2 of 4", "process 2 of 4"),
        ("parent 3", "parent 3"),
    ],
)
def test_the_pid_preset(text, redacted):
    assert Redactor((PRESETS["pid"],)).apply(text) == redacted


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("<object at 0x7f3a2b1c4d50>", "<object at 0x<address>>"),
        ("0xABCDEF", "0x<address>"),
        ("0xabcde", "0xabcde"),  # five digits: a small number, not an address
        ("10x7f3a2b1c", "10x7f3a2b1c"),
        ("0x7f3a2b1cg", "0x7f3a2b1cg"),
    ],
)
def test_the_address_preset(text, redacted):
    assert Redactor((PRESETS["address"],)).apply(text) == redacted


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("took 0.52 s", "took <duration>"),
        ("1.3ms", "<duration>"),
        ("12 µs per task", "<duration> per task"),
        ("5us, 7 ns", "<duration>, <duration>"),
        ("10 s.", "<duration>."),
        ("3 seconds", "3 seconds"),
        ("took 3 steps", "took 3 steps"),
        ("v1.3ms", "v1.3ms"),
        ("3.12.1 s", "3.12.1 s"),  # a version, not a duration
        ("4\ns", "4\ns"),  # never across lines
        ("7 m", "7 m"),
    ],
)
def test_the_duration_preset(text, redacted):
    assert Redactor((PRESETS["duration"],)).apply(text) == redacted


def test_presets_are_read_only_and_exactly_these():
    assert sorted(PRESETS) == ["address", "duration", "pid"]
    with pytest.raises(TypeError):
        PRESETS["mine"] = PRESETS["pid"]  # type: ignore[index]


def test_rules_and_redactors_are_frozen():
    with pytest.raises(AttributeError):
        Redactor().rules = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        PRESETS["pid"].replace = "x"  # type: ignore[misc]


def test_a_redactor_applies_its_rules_in_order():
    first = Rule(re.compile("a"), "b")
    second = Rule(re.compile("b"), "c")
    assert Redactor((first, second)).apply("ab") == "cc"
    assert Redactor((second, first)).apply("ab") == "bc"
    assert Redactor().apply("as it is") == "as it is"


# -- compare.toml -----------------------------------------------------------------------


def test_no_compare_file_means_no_redactions(snippet):
    assert redactor_for(snippet) == Redactor()


def test_all_then_the_snippets_own_section(snippet):
    write(snippet, "other.py", "")
    write(
        snippet,
        "compare.toml",
        "[all]\nredact = ['pid']\n"
        "[x]\nredact = ['duration', { pattern = 'took (\\d+) tasks', replace = 'took <n:\\1>' }]\n"
        "[other]\nredact = ['address']\n",
    )
    rules = redactor_for(snippet).rules
    assert rules[:2] == (PRESETS["pid"], PRESETS["duration"])
    assert len(rules) == 3
    text = "pid 4 took 3 tasks in 1.5 s at 0x7f3a2b1c4d50"
    assert redactor_for(snippet).apply(text) == (
        "pid <pid> took <n:3> in <duration> at 0x7f3a2b1c4d50"
    )
    assert redactor_for(snippet.with_name("other.py")).apply(text) == (
        "pid <pid> took 3 tasks in 1.5 s at 0x<address>"
    )


def test_a_pattern_of_ones_own_matches_line_by_line(snippet):
    write(snippet, "compare.toml", "[x]\nredact = [{ pattern = '^run .*$', replace = 'run' }]\n")
    assert redactor_for(snippet).apply("run 1\nkeep\nrun 2\n") == "run\nkeep\nrun\n"


def test_an_empty_section_or_list_redacts_nothing(snippet):
    write(snippet, "compare.toml", "[all]\n[x]\nredact = []\n")
    assert redactor_for(snippet) == Redactor()


@pytest.mark.parametrize(
    ("toml", "detail"),
    [
        (
            "[all]\nredact = ['pids']\n",
            "[all]: unknown preset 'pids'; the presets are address, duration, pid, or write a "
            "rule of your own: { pattern = '...', replace = \"...\" }",
        ),
        (
            "[x]\nredact = [{ pattern = 'took (\\d+', replace = 'n' }]\n",
            "[x]: bad pattern 'took (\\\\d+' (missing ), unterminated subpattern at position 5); "
            "write a Python regular expression, in a TOML literal string ('...') so "
            "backslashes stay as they are",
        ),
        (
            "[x]\nredact = [{ pattern = 'took', replace = '\\2' }]\n",
            "[x]: bad replace '\\\\2' for 'took' (invalid group reference 2 at position 1); "
            "refer only to groups the pattern has (\\1, \\g<name>), and write \\\\ for a "
            "backslash",
        ),
        (
            "[all]\nredcat = ['pid']\n",
            "[all]: unknown key 'redcat'; the only key is redact = [...]",
        ),
        (
            "[chunks]\nredact = ['pid']\n",
            "[chunks] names no snippet of this folder (there is no chunks.py); write [all] for "
            "every snippet, or one of: [a], [x]",
        ),
        ("all = 3\n", "[all] must be a table: write [all] then redact = [...]"),
        ("[all]\nredact = 'pid'\n", '[all]: redact must be a list, e.g. redact = ["pid"]'),
        (
            "[all]\nredact = [3]\n",
            "[all]: 3 is not a redaction; write a preset name (address, duration, pid) or a "
            "table with exactly two keys: { pattern = '...', replace = \"...\" }",
        ),
        (
            "[all]\nredact = [{ pattern = 'a' }]\n",
            "[all]: {'pattern': 'a'} is not a redaction; write a preset name",
        ),
        (
            "[all]\nredact = [{ pattern = 'a', replace = 'b', flags = 'i' }]\n",
            "[all]: {'pattern': 'a', 'replace': 'b', 'flags': 'i'} is not a redaction",
        ),
        (
            "[all]\nredact = [{ pattern = 1, replace = 'b' }]\n",
            "[all]: pattern and replace must be strings: { pattern = '...', replace = \"...\" }",
        ),
        (
            "[all]\nredact = [{ pattern = 'a', replace = 2 }]\n",
            "[all]: pattern and replace must be strings",
        ),
        ("[all\n", "not valid TOML (Expected ']' at the end of a table declaration"),
    ],
)
def test_a_mistake_in_compare_toml_names_the_file_the_entry_and_the_fix(snippet, toml, detail):
    write(snippet, "a.py", "")
    path = write(snippet, "compare.toml", toml)
    with pytest.raises(CompareFileError) as raised:
        redactor_for(snippet)
    assert raised.value.path == path
    assert raised.value.detail.startswith(detail)
    assert str(raised.value) == f"{path}: {raised.value.detail}"
    assert isinstance(raised.value, ValueError)


def test_a_mistake_in_another_snippets_section_is_still_an_error(snippet):
    write(snippet, "a.py", "")
    write(snippet, "compare.toml", "[a]\nredact = ['nope']\n")
    with pytest.raises(CompareFileError, match=r"\[a\]: unknown preset 'nope'"):
        redactor_for(snippet)


def test_a_compare_file_that_is_not_utf8(snippet):
    snippet.with_name("compare.toml").write_bytes(b"[all]\nredact = ['\xff']\n")
    with pytest.raises(CompareFileError) as raised:
        redactor_for(snippet)
    assert raised.value.detail == "not UTF-8 (invalid start byte); save it as UTF-8"


def test_a_folder_without_other_snippets_says_none(tmp_path):
    path = tmp_path / "compare.toml"
    path.write_text("[x]\n")
    with pytest.raises(CompareFileError, match=r"or one of: none$"):
        redactor_for(tmp_path / "a.py")


# -- file names ----------------------------------------------------------------------------


def test_path_for_and_snippet_of(snippet):
    assert path_for(snippet, "stdout").name == "x.stdout"
    assert path_for(snippet, "stderr", (3, 13)).name == "x.3.13.stderr"
    assert path_for(snippet, "stdout", (3, 13, 8)).name == "x.3.13.8.stdout"
    assert path_for(snippet, "stdout").parent == snippet.parent
    for name in ("chunks.stdout", "chunks.3.13.stdout", "chunks.3.13.8.stderr"):
        assert snippet_of(Path("snippets/demo") / name) == Path("snippets/demo/chunks.py")
    assert STREAMS == ("stdout", "stderr")


# -- which file applies ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ((3, 10, 4), "x.stdout"),
        ((3, 12, 99), "x.stdout"),
        ((3, 13, 0), "x.3.13.stdout"),
        ((3, 13, 7), "x.3.13.stdout"),
        ((3, 13, 8), "x.3.13.8.stdout"),
        ((3, 13, 18), "x.3.13.8.stdout"),
        ((3, 14, 0), "x.3.13.8.stdout"),
        ((3, 14, 1), "x.3.14.1.stdout"),
        ((3, 15, 2), "x.3.14.1.stdout"),
        ((3, 13), "x.3.13.stdout"),  # a key without a patch is its .0 release
    ],
)
def test_the_file_of_the_greatest_version_up_to_the_interpreters(snippet, key, name):
    for written in ("x.stdout", "x.3.13.stdout", "x.3.13.8.stdout", "x.3.14.1.stdout"):
        write(snippet, written, written)
    write(snippet, "x.3.stdout", "not a version")
    write(snippet, "x.3.13.8.1.stdout", "not a version")
    write(snippet, "x.old.stdout", "not a version")
    write(snippet, "y.3.12.stdout", "another snippet")
    write(snippet, "x.3.12.stderr", "another stream")
    path, text = expected_for(snippet, "stdout", key)
    assert (path.name, text) == (name, name)


def test_a_file_added_or_removed_between_two_calls_is_seen(snippet):
    write(snippet, "x.stdout", "plain")
    assert expected_for(snippet, "stdout", (3, 14, 10))[1] == "plain"
    write(snippet, "x.3.14.stdout", "newer")
    assert expected_for(snippet, "stdout", (3, 14, 10))[1] == "newer"
    (snippet.parent / "x.3.14.stdout").unlink()
    assert expected_for(snippet, "stdout", (3, 14, 10))[1] == "plain"
    (snippet.parent / "x.stdout").unlink()
    assert expected_for(snippet, "stdout", (3, 14, 10))[1] is None


def test_missing_files(snippet):
    assert expected_for(snippet, "stdout", (3, 12, 0)) == (snippet.with_suffix(".stdout"), None)
    assert expected_for(snippet, "stderr", (3, 12, 0)) == (snippet.with_suffix(".stderr"), "")
    write(snippet, "x.3.13.stderr", "")
    assert expected_for(snippet, "stderr", (3, 12, 0)) == (snippet.with_suffix(".stderr"), "")
    assert expected_for(snippet, "stderr", (3, 13, 1))[1] == ""


def test_two_files_for_the_same_version_are_an_error(snippet):
    write(snippet, "x.3.13.stdout", "a")
    write(snippet, "x.3.13.0.stdout", "b")
    with pytest.raises(
        ValueError, match=r"^x\.3\.13\.0\.stdout and x\.3\.13\.stdout both apply from 3\.13\.0"
    ):
        expected_for(snippet, "stdout", (3, 14, 0))


def test_expected_files_are_read_as_utf8(snippet):
    write(snippet, "x.stdout", "naïve → ok\n")
    assert expected_for(snippet, "stdout", (3, 12, 0))[1] == "naïve → ok\n"
    snippet.with_suffix(".stdout").write_bytes(b"\xff\n")
    with pytest.raises(UnicodeDecodeError):
        expected_for(snippet, "stdout", (3, 12, 0))


# -- problems -------------------------------------------------------------------------------


def check(snippet: Path, result: Fake, key=(3, 12, 7)) -> list[str]:
    return problems(snippet, result, key, root=snippet.parents[2], label=LABEL)


def test_no_problems_when_both_streams_match(snippet):
    write(snippet, "x.stdout", "took ... s\n")
    assert check(snippet, Fake("took 3 s\n")) == []
    write(snippet, "x.stderr", "warning\n")
    assert check(snippet, Fake("took 3 s\n", "warning\n")) == []


def test_a_missing_stdout_file_says_how_to_record_it(snippet):
    assert check(snippet, Fake("out\n")) == [
        f"snippets/demo/x.stdout is missing: record it with {FIX}, then review it"
    ]


def test_a_mismatch_names_stream_interpreter_file_line_fix_and_diff(snippet):
    write(snippet, "x.stdout", "a\nb\n")
    (message,) = check(snippet, Fake("a\nc\n"))
    assert message == (
        f"stdout of {LABEL} does not match snippets/demo/x.stdout: expected line 2: 'b' "
        "does not match output line 2: 'c'.\n"
        f"If the new output is right, run {FIX} and review the diff. For parts that vary "
        "from run to run, use wildcards in snippets/demo/x.stdout (`...`, `{{one line}}`, "
        "`{{name}}`, `{{any order}}`) or a redaction in snippets/demo/compare.toml.\n\n"
        "--- snippets/demo/x.stdout (expected)\n"
        f"+++ {LABEL} (this run)\n"
        "@@ -1,2 +1,2 @@\n"
        " a\n"
        "-b\n"
        "+c\n"
    )


def test_an_unexpected_stderr_is_a_problem_of_its_own(snippet):
    write(snippet, "x.stdout", "ok\n")
    (message,) = check(snippet, Fake("ok\n", "Traceback\n"))
    assert message.startswith(
        f"stderr of {LABEL} does not match snippets/demo/x.stderr: output line 1: "
        "'Traceback' is not in the expected text, which ends before it.\n"
    )
    assert message.endswith("@@ -0,0 +1 @@\n+Traceback\n")


def test_each_stream_is_checked_against_the_version_file(snippet):
    write(snippet, "x.stdout", "old\n")
    write(snippet, "x.3.13.stdout", "new\n")
    assert check(snippet, Fake("old\n"), (3, 12, 7)) == []
    assert check(snippet, Fake("new\n"), (3, 13, 0)) == []
    (message,) = check(snippet, Fake("old\n"), (3, 14, 2))
    assert message.startswith(f"stdout of {LABEL} does not match snippets/demo/x.3.13.stdout:")


def test_outputs_are_compared_with_paths_shortened_and_redactions_applied(snippet):
    write(snippet, "compare.toml", "[all]\nredact = ['pid']\n")
    write(snippet, "x.stdout", 'pid <pid>\nFile "x.py"\n…/os.py\n')
    out = 'pid 4242\nFile "/tmp/snippet/x.py"\n/usr/lib/python3.12/os.py\n'
    assert check(snippet, Fake(out)) == []
    (message,) = check(snippet, Fake("pid 42 and more\n" + out[8:]))
    assert "+pid <pid> and more\n" in message  # the diff shows what was compared


def test_paths_outside_the_root_are_shown_whole(snippet, tmp_path):
    (message,) = problems(snippet, Fake(""), (3, 12, 0), root=tmp_path / "elsewhere", label=LABEL)
    assert message.startswith(f"{snippet.with_suffix('.stdout')} is missing")


def test_a_broken_expected_file_is_a_problem_not_a_traceback(snippet):
    snippet.with_suffix(".stdout").write_bytes(b"ok \xff\n")
    write(snippet, "x.stderr", "{{any order}}\n")
    assert check(snippet, Fake("ok\n")) == [
        "snippets/demo/x.stdout is not UTF-8 text (invalid start byte at byte 3): save it as "
        f"UTF-8, or delete it and run {FIX} to record it again",
        "snippets/demo/x.stderr: line 1: the {{any order}} block is never closed; end it "
        "with a line {{end}}",
    ]


@pytest.mark.parametrize(
    ("written", "stdout_problem"),
    [
        ({}, "snippets/demo/x.stdout is missing"),
        ({"x.stdout": "{{end}}\n"}, "snippets/demo/x.stdout: line 1: {{end}} closes no block"),
        (
            {"x.3.12.stdout": "ok\n", "x.3.12.0.stdout": "ok\n"},
            "snippets/demo: x.3.12.0.stdout and x.3.12.stdout",
        ),
    ],
)
def test_a_stdout_problem_does_not_hide_a_stderr_problem(snippet, written, stdout_problem):
    for name, text in written.items():
        write(snippet, name, text)
    stdout, stderr = check(snippet, Fake("ok\n", "oops\n"))
    assert stdout.startswith(stdout_problem)
    assert stderr.startswith(f"stderr of {LABEL} does not match snippets/demo/x.stderr:")


def test_a_broken_compare_file_is_a_problem(snippet):
    write(snippet, "x.stdout", "ok\n")
    write(snippet, "compare.toml", "[all]\nredact = ['pids']\n")
    (message,) = check(snippet, Fake("ok\n"))
    assert message.startswith("snippets/demo/compare.toml: [all]: unknown preset 'pids';")


def test_two_files_for_one_version_are_a_problem(snippet):
    write(snippet, "x.3.12.stdout", "a\n")
    write(snippet, "x.3.12.0.stdout", "a\n")
    assert check(snippet, Fake("a\n")) == [
        "snippets/demo: x.3.12.0.stdout and x.3.12.stdout both apply from 3.12.0: keep one of them"
    ]


def test_diff_marks_lines_without_a_final_newline():
    assert (
        expected.diff("a", "b", "f", "L")
        == "--- f (expected)\n+++ L (this run)\n@@ -1 +1 @@\n-a\n+b\n"
    )
    assert expected.diff("a\n", "a\n", "f", "L") == ""


# -- grouping ----------------------------------------------------------------------------------


def test_outputs_that_differ_only_in_redacted_parts_share_a_group(snippet):
    write(snippet, "compare.toml", "[all]\nredact = ['pid']\n")
    write(snippet, "x.stdout", "pid <pid>\n")
    write(snippet, "x.3.13.stdout", "pid <pid>\n")
    one = grouping_key(snippet, Fake("pid 1\n"), (3, 11, 2))
    assert one == (
        (snippet.with_suffix(".stdout"), "pid <pid>\n"),
        (snippet.with_suffix(".stderr"), ""),
    )
    assert grouping_key(snippet, Fake("pid 2\n"), (3, 12, 0)) == one
    assert grouping_key(snippet, Fake("pid 2\n", "w\n"), (3, 12, 0)) != one
    assert grouping_key(snippet, Fake("pid 2!\n"), (3, 12, 0)) != one
    assert grouping_key(snippet, Fake("pid 1\n"), (3, 13, 0)) != one  # another file governs
    assert grouping_key(snippet, Fake("/tmp/snippet/x.py\n"), (3, 12, 0))[0][1] == "x.py\n"
    hash(one)


# -- update ------------------------------------------------------------------------------------


def test_nothing_ran_changes_nothing(snippet):
    assert update(snippet, {}, oldest=(3, 10)) == []
    assert files(snippet) == {}


def test_the_first_recording_goes_to_the_plain_files_of_the_oldest_that_ran(snippet):
    written = update(
        snippet,
        {(3, 13, 1): Fake("new\n"), (3, 12, 7): Fake("out\n", "warn\n")},
        oldest=(3, 10),
    )
    assert written == [
        snippet.with_suffix(".stdout"),
        snippet.with_name("x.3.13.stdout"),
        snippet.with_suffix(".stderr"),
        snippet.with_name("x.3.13.stderr"),
    ]
    assert files(snippet) == {
        "x.stdout": "out\n",
        "x.3.13.stdout": "new\n",
        "x.stderr": "warn\n",
        "x.3.13.stderr": "",
    }


def test_an_empty_stderr_gets_no_plain_file(snippet):
    assert update(snippet, {(3, 12, 7): Fake("out\n")}, oldest=(3, 12)) == [
        snippet.with_suffix(".stdout")
    ]
    assert files(snippet) == {"x.stdout": "out\n"}


def test_files_that_still_match_are_kept_as_they_are(snippet):
    write(snippet, "x.stdout", "pid ...\n")
    assert update(snippet, {(3, 11, 2): Fake("pid 42\n")}, oldest=(3, 11)) == []
    assert files(snippet) == {"x.stdout": "pid ...\n"}
    written = update(snippet, {(3, 11, 2): Fake("changed\n", "warn\n")}, oldest=(3, 11))
    assert written == [snippet.with_suffix(".stdout"), snippet.with_suffix(".stderr")]
    assert files(snippet) == {"x.stdout": "changed\n", "x.stderr": "warn\n"}


def test_the_oldest_version_rewrites_the_plain_file(snippet):
    write(snippet, "x.stdout", "old\n")
    write(snippet, "x.stderr", "old warning\n")
    results = {(3, 10, 1): Fake("new\n"), (3, 11, 0): Fake("new\n"), (3, 12, 0): Fake("new\n")}
    assert update(snippet, results, oldest=(3, 10)) == [
        snippet.with_suffix(".stdout"),
        snippet.with_suffix(".stderr"),
    ]
    assert files(snippet) == {"x.stdout": "new\n"}


def test_a_version_older_than_the_configured_oldest_owns_the_plain_file_too(snippet):
    write(snippet, "x.stdout", "old\n")
    update(snippet, {(3, 9, 1): Fake("new\n")}, oldest=(3, 10))
    assert files(snippet) == {"x.stdout": "new\n"}


def test_a_newer_version_governed_by_the_plain_file_gets_its_own_file(snippet):
    # Only 3.12 is here: the plain file also holds what 3.10 and 3.11 print.
    write(snippet, "x.stdout", "old\n")
    written = update(snippet, {(3, 12, 7): Fake("new\n", "warn\n")}, oldest=(3, 10))
    assert written == [snippet.with_name("x.3.12.stdout"), snippet.with_name("x.3.12.stderr")]
    assert files(snippet) == {
        "x.stdout": "old\n",
        "x.3.12.stdout": "new\n",
        "x.3.12.stderr": "warn\n",
    }


def test_only_one_interpreter_present_changes_no_other_versions_files(snippet):
    before = {
        "x.stdout": "3.10 and 3.11\n",
        "x.3.12.stdout": "3.12\n",
        "x.3.14.stdout": "3.14 on\n",
        "x.stderr": "plain warning\n",
        "x.3.14.stderr": "",
    }
    for name, text in before.items():
        write(snippet, name, text)
    # 3.13 inherits from 3.12's file, which also speaks for versions that did not run.
    assert update(snippet, {(3, 13, 5): Fake("3.13\n", "plain warning\n")}, oldest=(3, 10)) == [
        snippet.with_name("x.3.13.stdout")
    ]
    assert files(snippet) == {**before, "x.3.13.stdout": "3.13\n"}
    # 3.12 changes: its own file is rewritten, nothing else.
    assert update(snippet, {(3, 12, 1): Fake("3.12 new\n", "plain warning\n")}, oldest=(3, 10)) == [
        snippet.with_name("x.3.12.stdout")
    ]
    assert files(snippet) == {**before, "x.3.13.stdout": "3.13\n", "x.3.12.stdout": "3.12 new\n"}
    # The newest version, printing what the newest file says: nothing changes.
    assert update(snippet, {(3, 15, 0): Fake("3.14 on\n")}, oldest=(3, 10)) == []


def test_each_newer_version_that_ran_gets_the_file_it_needs(snippet):
    write(snippet, "x.stdout", "old\n")
    results = {(3, 12, 0): Fake("a\n"), (3, 13, 0): Fake("b\n"), (3, 14, 0): Fake("b\n")}
    assert update(snippet, results, oldest=(3, 10)) == [
        snippet.with_name("x.3.12.stdout"),
        snippet.with_name("x.3.13.stdout"),
    ]
    assert files(snippet) == {"x.stdout": "old\n", "x.3.12.stdout": "a\n", "x.3.13.stdout": "b\n"}


def test_a_version_without_a_file_that_prints_what_it_inherits_gets_none(snippet):
    write(snippet, "x.stdout", "same\n")
    results = {(3, 10, 0): Fake("same\n"), (3, 12, 0): Fake("same\n"), (3, 14, 0): Fake("same\n")}
    assert update(snippet, results, oldest=(3, 10)) == []
    assert files(snippet) == {"x.stdout": "same\n"}


def test_an_own_file_is_removed_when_what_it_inherits_matches(snippet):
    write(snippet, "x.stdout", "old ...\n")
    write(snippet, "x.3.12.stdout", "new\n")
    write(snippet, "x.3.12.stderr", "warn\n")
    assert update(snippet, {(3, 12, 3): Fake("old again\n")}, oldest=(3, 10)) == [
        snippet.with_name("x.3.12.stdout"),
        snippet.with_name("x.3.12.stderr"),
    ]
    assert files(snippet) == {"x.stdout": "old ...\n"}


def test_an_own_file_that_still_matches_is_kept_unless_it_copies_what_it_inherits(snippet):
    write(snippet, "x.stdout", "took ... s\n")
    write(snippet, "x.3.12.stdout", "took 1 s\n")  # more precise: kept
    assert update(snippet, {(3, 12, 0): Fake("took 1 s\n")}, oldest=(3, 10)) == []
    write(snippet, "x.3.12.stdout", "took ... s\n")  # the same text: says nothing more
    assert update(snippet, {(3, 12, 0): Fake("took 1 s\n")}, oldest=(3, 10)) == [
        snippet.with_name("x.3.12.stdout")
    ]
    assert files(snippet) == {"x.stdout": "took ... s\n"}


def test_an_own_file_that_copies_a_file_of_a_version_that_did_not_run_is_kept(snippet):
    write(snippet, "x.stdout", "a\n")
    write(snippet, "x.3.12.stdout", "a\n")
    assert update(snippet, {(3, 11, 0): Fake("a\n")}, oldest=(3, 10)) == []
    assert sorted(files(snippet)) == ["x.3.12.stdout", "x.stdout"]


def test_a_behaviour_change_is_recorded_where_it_happens_and_inherited_after(snippet):
    old, new = Fake("old\n"), Fake("new\n")
    update(snippet, {(3, 11, 0): old, (3, 12, 0): new, (3, 13, 0): new}, oldest=(3, 11))
    assert files(snippet) == {"x.stdout": "old\n", "x.3.12.stdout": "new\n"}
    for key, result in [((3, 11, 0), old), ((3, 12, 0), new), ((3, 13, 0), new), ((3, 14, 0), new)]:
        assert check(snippet, result, key) == [], key
    # 3.12 goes back to the old behaviour, 3.13 keeps the new one.
    assert update(snippet, {(3, 11, 0): old, (3, 12, 0): old, (3, 13, 0): new}, oldest=(3, 11)) == [
        snippet.with_name("x.3.12.stdout"),
        snippet.with_name("x.3.13.stdout"),
    ]
    assert files(snippet) == {"x.stdout": "old\n", "x.3.13.stdout": "new\n"}


def test_a_patch_file_belongs_to_its_minor(snippet):
    write(snippet, "x.stdout", "base\n")
    write(snippet, "x.3.13.stdout", "3.13.0 on\n")
    write(snippet, "x.3.13.8.stdout", "3.13.8 on\n")
    # 3.13.10 is governed by the patch file: rewritten, the 3.13 file kept.
    assert update(snippet, {(3, 13, 10): Fake("changed\n")}, oldest=(3, 10)) == [
        snippet.with_name("x.3.13.8.stdout")
    ]
    assert files(snippet)["x.3.13.stdout"] == "3.13.0 on\n"
    assert files(snippet)["x.3.13.8.stdout"] == "changed\n"
    # Printing what 3.13.0 printed: the patch file is not needed any more.
    assert update(snippet, {(3, 13, 10): Fake("3.13.0 on\n")}, oldest=(3, 10)) == [
        snippet.with_name("x.3.13.8.stdout")
    ]
    assert files(snippet) == {"x.stdout": "base\n", "x.3.13.stdout": "3.13.0 on\n"}
    # An older patch release is governed by the minor's file.
    write(snippet, "x.3.13.8.stdout", "3.13.8 on\n")
    assert update(snippet, {(3, 13, 2): Fake("early\n")}, oldest=(3, 10)) == [
        snippet.with_name("x.3.13.stdout")
    ]
    assert files(snippet)["x.3.13.8.stdout"] == "3.13.8 on\n"


def test_a_newer_minor_governed_by_an_older_patch_file_gets_a_minor_file(snippet):
    write(snippet, "x.stdout", "base\n")
    write(snippet, "x.3.13.8.stdout", "3.13.8 on\n")
    assert update(snippet, {(3, 14, 1): Fake("3.14\n")}, oldest=(3, 10)) == [
        snippet.with_name("x.3.14.stdout")
    ]
    assert files(snippet)["x.3.13.8.stdout"] == "3.13.8 on\n"


def test_update_never_creates_a_patch_file_for_a_minor_that_has_none(snippet):
    write(snippet, "x.stdout", "base\n")
    update(snippet, {(3, 12, 7): Fake("x\n")}, oldest=(3, 10))
    assert sorted(files(snippet)) == ["x.3.12.stdout", "x.stdout"]


def test_without_a_plain_stdout_a_newer_version_gets_its_own_file(snippet):
    write(snippet, "x.stderr", "warn\n")  # recorded before: not a first recording
    assert update(snippet, {(3, 12, 0): Fake("out\n", "warn\n")}, oldest=(3, 10)) == [
        snippet.with_name("x.3.12.stdout")
    ]
    assert files(snippet) == {"x.stderr": "warn\n", "x.3.12.stdout": "out\n"}


def test_stderr_files(snippet):
    write(snippet, "x.stdout", "out\n")
    write(snippet, "x.stderr", "warn\n")
    # A newer version that prints nothing on stderr needs an empty file of its own.
    assert update(snippet, {(3, 13, 0): Fake("out\n")}, oldest=(3, 10)) == [
        snippet.with_name("x.3.13.stderr")
    ]
    assert files(snippet)["x.3.13.stderr"] == ""
    # The oldest stops warning: its plain stderr file goes (no file means nothing).
    assert update(snippet, {(3, 10, 0): Fake("out\n")}, oldest=(3, 10)) == [
        snippet.with_suffix(".stderr")
    ]
    # 3.13's empty file now copies what it inherits: it goes too.
    assert update(snippet, {(3, 13, 0): Fake("out\n")}, oldest=(3, 10)) == [
        snippet.with_name("x.3.13.stderr")
    ]
    assert files(snippet) == {"x.stdout": "out\n"}


def test_an_empty_plain_stderr_file_of_a_version_that_did_not_run_stays(snippet):
    write(snippet, "x.stdout", "out\n")
    write(snippet, "x.stderr", "")
    assert update(snippet, {(3, 12, 0): Fake("out\n")}, oldest=(3, 10)) == []
    assert files(snippet) == {"x.stdout": "out\n", "x.stderr": ""}


def test_what_is_written_is_shortened_redacted_and_escaped(snippet):
    write(snippet, "compare.toml", "[x]\nredact = ['pid']\n")
    out = 'pid 42 in "/tmp/snippet/x.py" {{not a capture}}\n/usr/lib/python3.12/os.py\n...'
    update(snippet, {(3, 12, 0): Fake(out)}, oldest=(3, 12))
    written = files(snippet)["x.stdout"]
    assert written == 'pid <pid> in "x.py" \\{{not a capture}}\n…/os.py\n\\...'
    assert check(snippet, Fake(out), (3, 12, 0)) == []


def test_a_file_that_is_not_utf8_or_broken_is_rewritten_by_its_own_version(snippet):
    snippet.with_suffix(".stdout").write_bytes(b"\xff\n")
    write(snippet, "x.3.12.stdout", "{{end}}\n")
    results = {(3, 10, 0): Fake("a\n"), (3, 12, 0): Fake("b\n")}
    assert update(snippet, results, oldest=(3, 10)) == [
        snippet.with_suffix(".stdout"),
        snippet.with_name("x.3.12.stdout"),
    ]
    assert files(snippet) == {"x.stdout": "a\n", "x.3.12.stdout": "b\n"}


def test_a_file_that_is_not_utf8_of_a_version_that_did_not_run_stays(snippet):
    snippet.with_suffix(".stdout").write_bytes(b"\xff\n")
    assert update(snippet, {(3, 12, 0): Fake("b\n")}, oldest=(3, 10)) == [
        snippet.with_name("x.3.12.stdout")
    ]
    assert snippet.with_suffix(".stdout").read_bytes() == b"\xff\n"


def test_a_broken_file_that_the_inherited_one_replaces_is_removed(snippet):
    write(snippet, "x.stdout", "a\n")
    write(snippet, "x.3.12.stdout", "{{any order}}\n")
    assert update(snippet, {(3, 12, 0): Fake("a\n")}, oldest=(3, 10)) == [
        snippet.with_name("x.3.12.stdout")
    ]
    assert files(snippet) == {"x.stdout": "a\n"}


def test_versions_are_taken_oldest_first_whatever_the_order_given(snippet):
    results = {(3, 14, 0): Fake("b\n"), (3, 10, 0): Fake("a\n"), (3, 12, 0): Fake("b\n")}
    update(snippet, results, oldest=(3, 10))
    assert files(snippet) == {"x.stdout": "a\n", "x.3.12.stdout": "b\n"}


def test_a_snippet_that_prints_nothing_is_recorded_with_an_empty_stdout_file(snippet):
    # No stdout file means "not recorded yet": printing nothing needs an empty file.
    assert update(snippet, {(3, 12, 0): Fake("")}, oldest=(3, 12)) == [
        snippet.with_suffix(".stdout")
    ]
    assert files(snippet) == {"x.stdout": ""}
    assert check(snippet, Fake(""), (3, 12, 0)) == []


def test_a_file_that_is_not_utf8_is_rewritten_when_its_version_prints_nothing(snippet):
    snippet.with_suffix(".stdout").write_bytes(b"\xff\n")
    assert update(snippet, {(3, 10, 0): Fake("")}, oldest=(3, 10)) == [
        snippet.with_suffix(".stdout")
    ]
    assert files(snippet) == {"x.stdout": ""}


def test_a_snippet_whose_folder_is_gone_has_no_expected_files(tmp_path):
    snippet = tmp_path / "gone" / "x.py"
    assert expected_for(snippet, "stdout", (3, 12, 0)) == (snippet.with_suffix(".stdout"), None)
    assert expected_for(snippet, "stderr", (3, 12, 0)) == (snippet.with_suffix(".stderr"), "")


@pytest.mark.usefixtures("ascii_locale")
def test_expected_files_are_utf8_whatever_the_locale(snippet):
    write(snippet, "x.stdout", "naïve\n")
    assert expected_for(snippet, "stdout", (3, 12, 0))[1] == "naïve\n"
    assert update(snippet, {(3, 12, 0): Fake("naïve → ok\n")}, oldest=(3, 12)) == [
        snippet.with_suffix(".stdout")
    ]
    assert snippet.with_suffix(".stdout").read_bytes() == "naïve → ok\n".encode()
