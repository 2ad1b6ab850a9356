"""The expected-output matcher: syntax, hints, errors, and its time on hostile inputs."""

from __future__ import annotations

import itertools
import re
import time

import pytest

from snippet_runner.executor import matcher
from snippet_runner.executor.matcher import escape, first_mismatch, matches

# -- plain lines, `...` lines and inline `...`, as the regex matcher did them ----------


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        ("a\nb\n", "a\nb\n", True),
        ("a\nb\n", "a\nc\n", False),
        ("a\n", "a\n", True),
        ("a\n", "a", False),  # a final newline is significant, both ways
        ("a", "a\n", False),
        ("", "", True),
        ("", "\n", False),
        ("\n", "", False),
        ("took ... s\n", "took 0.25 s\n", True),
        ("took ... s\n", "took 0.25 s\nextra\n", False),
        ("took ... s\n", "took s\n", False),  # the spaces around `...` are literal
        ("took ... s\n", "took  s\n", True),  # `...` inside a line may match nothing
        ("start\n...\nend\n", "start\nx\ny\nend\n", True),
        ("start\n...\nend\n", "start\nend\n", True),
        ("start\n...\nend\n", "start\nx\n", False),
        ("...\n", "", True),
        ("...\n", "x\ny\n", True),
        ("...\n", "x\ny", False),  # `...` takes whole lines, each with its newline
        ("...", "", True),  # a last `...` without a newline still takes whole lines only
        ("...", "x\n", True),
        ("...", "x", False),
        ("a\n...", "a\nb\n", True),
        ("a\n...", "a\nb", False),
        ("a\n...", "a", False),
        ("a.b\n", "aXb\n", False),  # only `...` is special
        ("a..b\n", "a..b\n", True),
        ("a...b...c\n", "abc\n", True),
        ("a...b...c\n", "ac\n", False),
        ("a...b...c\n", "a-c-b-c\n", True),
        ("a...a\n", "a\n", False),  # the two ends cannot overlap
        ("a...a\n", "aa\n", True),
        ("...x\n", "yx\n", True),
        ("...x\n", "xy\n", False),
        ("x...\n", "xy\n", True),
        ("x...\n", "yx\n", False),
        ("......\n", "anything\n", True),  # two wildcards side by side are one
        ("...a...b\n", "xb\n", False),
        ("...a...b\n", "ab\n", True),
        ("...a...\n", "ab\n", True),
        ("a...b...\n", "ax\n", False),
        ("a...b...\n", "ab\n", True),
        ("x...b...b...y\n", "xby\n", False),  # each piece is found after the one before
        ("x...b...b...y\n", "xbby\n", True),
        ("...\na\nb\n...\n", "x\na\nb\ny\n", True),
        ("...\na\nb\n...\n", "x\nb\na\n", False),
        ("...\n{{one line}}\nb\n", "a\nb\n", True),
        ("...\n{{one line}}\nb\n", "b\n", False),
        ("...\n{{one line}}\nb\n...\n", "x\nb\n", True),
        ("...\n{{one line}}\nb\n...\n", "b\nx\n", False),
        ("a\n...\n...\nb\n", "a\nb\n", True),
        ("a\n...\n...\nb\n", "a\n1\n2\nb\n", True),
        ("...\nb\n...\nb\n", "b\nb\n", True),
        ("...\nb\n...\nb\n", "b\n", False),  # each line matches its own output line
    ],
)
def test_lines_and_wildcards(expected, actual, ok):
    assert matches(expected, actual) is ok
    assert (first_mismatch(expected, actual) is None) is ok


def _old_regex(expected: str) -> re.Pattern[str]:
    """The regex matcher this module replaces, for texts without the new syntax."""
    parts = []
    for line in expected.splitlines(keepends=True):
        if line.rstrip("\n") == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(r"[^\n]*?".join(re.escape(piece) for piece in line.split("...")))
    return re.compile("".join(parts))


def test_agrees_with_the_old_regex_matcher_on_every_small_case():
    outputs = [
        "\n".join(lines) + end
        for length in range(4)
        for lines in itertools.product(["a", "ab", ""], repeat=length)
        for end in ("", "\n")
    ]
    checked = 0
    for size in range(4):
        for lines in itertools.product(["a", "...", "a...", "...b", ""], repeat=size):
            for end in ("", "\n"):
                expected = "\n".join(lines) + end
                old = _old_regex(expected)
                for actual in outputs:
                    want = old.fullmatch(actual) is not None
                    assert matches(expected, actual) is want, (expected, actual)
                    checked += 1
    assert checked == 312 * 80


# -- {{one line}} -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "ok"),
    [
        ("a\nanything at all\nb\n", True),
        ("a\n\nb\n", True),
        ("a\nb\n", False),
        ("a\nx\ny\nb\n", False),
    ],
)
def test_one_line_matches_exactly_one_line(actual, ok):
    assert matches("a\n{{one line}}\nb\n", actual) is ok


def test_one_line_is_only_special_as_a_whole_line():
    assert matches("x {{one line}}\n", "x {{one line}}\n")
    assert not matches("x {{one line}}\n", "x y\n")
    assert matches(" {{one line}}\n", " {{one line}}\n")


# -- captures -----------------------------------------------------------------------


def test_a_capture_matches_any_text_then_the_same_text_again():
    expected = "worker {{pid}} started\nworker {{pid}} done\n"
    captures: dict[str, str] = {}
    assert matches(expected, "worker 42 started\nworker 42 done\n", captures)
    assert captures == {"pid": "42"}
    assert not matches(expected, "worker 42 started\nworker 43 done\n")
    assert not matches(expected, "worker 42 started\nworker 4 done\n")
    assert not matches(expected, "worker 42 started\nworker 420 done\n")


def test_a_capture_may_be_empty_and_is_then_empty_everywhere():
    captures: dict[str, str] = {}
    assert matches("[{{x}}]\n({{x}})\n", "[]\n()\n", captures)
    assert captures == {"x": ""}
    assert not matches("[{{x}}]\n({{x}})\n", "[]\n(a)\n")


def test_captures_are_filled_only_when_the_texts_match():
    captures = {"kept": "as it was"}
    assert not matches("a {{x}}\nb {{x}}\n", "a 1\nb 2\n", captures)
    assert captures == {"kept": "as it was"}
    assert matches("a {{x}}\n", "a 1\n", captures)
    assert captures == {"kept": "as it was", "x": "1"}
    assert matches("a {{x}}\n", "a 1\n", None)


def test_several_captures_on_one_line_and_a_capture_used_twice_on_a_line():
    captures: dict[str, str] = {}
    assert matches("{{a}}-{{b}}: {{a}}+{{b}}\n", "1-2: 1+2\n", captures)
    assert captures == {"a": "1", "b": "2"}
    assert not matches("{{a}}-{{b}}: {{a}}+{{b}}\n", "1-2: 1+3\n")
    assert not matches("{{a}}-{{b}}: {{a}}+{{b}}\n", "1-2: 2+2\n")
    assert matches("{{a}} and {{a}}\n", "x and x\n")
    assert not matches("{{a}} and {{a}}\n", "x and x!\n")


def test_a_used_capture_is_plain_text_next_to_wildcards():
    expected = "pid {{p}}\n{{p}}...\n...{{p}}\n"
    assert matches(expected, "pid 7\n7 and more\nmore and 7\n")
    assert not matches(expected, "pid 7\n8 and more\nmore and 7\n")
    assert not matches(expected, "pid 7\n7 and more\nmore and 8\n")


def test_a_capture_at_the_start_of_a_line_may_be_empty():
    captures: dict[str, str] = {}
    assert matches("{{a}}:...\n", ":z\n", captures)
    assert captures == {"a": ""}
    assert matches("{{a}}:...\n", "q:z\n", captures)
    assert captures == {"a": "q"}


def test_a_capture_at_the_end_of_a_line_after_a_wildcard():
    assert matches("pid {{p}}\nfrom ... to {{p}}\n", "pid 5\nfrom 1 to 5\n")
    assert not matches("pid {{p}}\nfrom ... to {{p}}\n", "pid 5\nfrom 1 to 55\n")
    # An empty capture at the end: the wildcard before it takes the rest.
    assert matches("<{{e}}>\n...x{{e}}\n", "<>\nabxcx\n")


def test_a_capture_made_before_a_wildcard_line_is_checked_after_it():
    expected = "start {{id}}\n...\nend {{id}}\n"
    assert matches(expected, "start 9\nnoise\nend 9\n")
    assert not matches(expected, "start 9\nnoise\nend 8\n")


def test_a_failed_placement_gives_its_captures_back():
    # The block after `...` first fits at "start 1" and binds x=1, then fails on
    # "end 2"; its second placement must be free to bind x=3.
    expected = "...\nstart {{x}}\nend {{x}}\n...\n"
    captures: dict[str, str] = {}
    assert matches(expected, "start 1\nend 2\nstart 3\nend 3\n", captures)
    assert captures == {"x": "3"}


def test_known_limitation_captures_bind_greedily():
    # A split of the line exists (a = "1 x 2"), but a takes the leftmost one.
    assert not matches("{{a}} x {{a}}\n", "1 x 2 x 1 x 2\n")
    # A later place exists (v = 2), but v is bound where its line first fits.
    assert not matches("...\nv {{v}}\n...\nw {{v}}\n", "v 1\nv 2\nw 2\n")


@pytest.mark.parametrize(
    "text",
    ["x {{end}}", "{{Pid}}", "{{ pid }}", "{{9x}}", "{{a-b}}", "{{}}", "{{one line}} x", "{{x}"],
)
def test_what_is_not_a_capture_is_literal_text(text):
    assert matches(text + "\n", text + "\n")
    assert not matches(text + "\n", "other\n")


@pytest.mark.parametrize("name", ["_", "a", "_x9", "snake_case_2"])
def test_capture_names(name):
    captures: dict[str, str] = {}
    assert matches(f"<{{{{{name}}}}}>\n", "<v>\n", captures)
    assert captures == {name: "v"}


# -- {{any order}} ------------------------------------------------------------------


def test_any_order_matches_the_lines_in_any_order():
    expected = "start\n{{any order}}\nb\na\nc\n{{end}}\nend\n"
    for order in itertools.permutations("abc"):
        assert matches(expected, "start\n" + "\n".join(order) + "\nend\n")
    assert not matches(expected, "start\na\nb\nend\n")
    assert not matches(expected, "start\na\nb\nc\nd\nend\n")
    assert not matches(expected, "start\na\nb\nb\nend\n")  # each line is used once
    assert not matches(expected, "start\na\nb\nc\nEND\n")  # and the lines after it count


def test_any_order_at_the_very_end_of_an_output_without_a_final_newline():
    assert matches("{{any order}}\na\nb\n{{end}}", "b\na")
    assert not matches("{{any order}}\na\nb\n{{end}}", "b\na\n")


def test_any_order_uses_each_expected_line_once():
    expected = "{{any order}}\nx\nx\ny\n{{end}}\n"
    assert matches(expected, "x\ny\nx\n")
    assert not matches(expected, "x\ny\ny\n")


def test_any_order_finds_an_assignment_where_first_come_first_served_fails():
    # "a..." also fits "ab"; only "a..." -> "ax", "ab" -> "ab" works.
    expected = "{{any order}}\na...\nab\n{{end}}\n"
    assert matches(expected, "ab\nax\n")
    assert matches(expected, "ax\nab\n")
    assert not matches(expected, "ax\nay\n")


def test_any_order_between_wildcard_lines_and_with_captures():
    expected = "...\n{{any order}}\nw1 pid={{one}}\nw2 pid={{two}}\n{{end}}\n...\nbye {{two}}\n"
    captures: dict[str, str] = {}
    actual = "boot\nw2 pid=8\nw1 pid=7\nlater\nbye 8\n"
    assert matches(expected, actual, captures)
    assert captures == {"one": "7", "two": "8"}
    assert not matches(expected, "boot\nw2 pid=8\nw1 pid=7\nlater\nbye 7\n")


def test_any_order_lines_may_use_captures_made_before_the_block():
    expected = "main {{pid}}\n{{any order}}\nchild of {{pid}}\nother\n{{end}}\n"
    assert matches(expected, "main 3\nother\nchild of 3\n")
    assert not matches(expected, "main 3\nother\nchild of 4\n")


def test_an_empty_any_order_block_matches_nothing():
    assert matches("a\n{{any order}}\n{{end}}\nb\n", "a\nb\n")


def test_any_order_of_plain_lines_is_fast_on_a_long_output():
    block = "{{any order}}\n" + "".join(f"w{i} ...\n" for i in range(30)) + "{{end}}\n"
    actual = "".join(f"w{i} x\n" for i in range(29)) * 350  # w29 is never there
    started = time.perf_counter()
    assert not matches("...\n" + block + "...\n", actual)
    assert time.perf_counter() - started < 1.0


# -- backslash escapes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        ("\\...\n", "...\n", True),
        ("\\...\n", "x\n", False),
        ("wait\\...\n", "wait...\n", True),
        ("wait\\...\n", "wait!\n", False),
        ("\\{{one line}}\n", "{{one line}}\n", True),
        ("\\{{one line}}\n", "x\n", False),
        ("\\{{pid}}\n", "{{pid}}\n", True),
        ("\\{{pid}}\n", "42\n", False),
        ("\\{{any order}}\n\\{{end}}\n", "{{any order}}\n{{end}}\n", True),
        ("'42\\n'\n", "'42\\n'\n", True),  # any other backslash is itself
        ("\\\\...\n", "\\...\n", True),  # a backslash, then an escaped `...`
        ("\\\\...\n", "\\x\n", False),
        ("a\\.b\n", "a\\.b\n", True),
    ],
)
def test_a_backslash_makes_the_next_token_literal(expected, actual, ok):
    assert matches(expected, actual) is ok


@pytest.mark.parametrize(
    "text",
    [
        "plain\n",
        "",
        "no newline",
        "wait...\n",
        "...\n",
        "...",
        "x\n...",
        "{{pid}} {{one line}}\n",
        "{{one line}}\n",
        "{{any order}}\nx\n",
        "{{end}}\n",
        "a\\...b\n",
        "\\\\...\n",
        "\\{{x}}\n",
        "{{{x}}}\n",
        "{{a}}{{a}}\n",
        "'42\\n'\n",
    ],
)
def test_an_escaped_output_matches_itself(text):
    assert matches(escape(text), text)
    assert first_mismatch(escape(text), text) is None


def test_escape_changes_only_what_it_must():
    assert escape("took 3 ms...\nwaiting ...\n") == "took 3 ms...\nwaiting ...\n"
    assert escape("{{pid}}\n") == "\\{{pid}}\n"
    assert escape("a\\...b\n") == "a\\\\...b\n"
    assert escape("x\n...") == "x\n\\..."
    assert escape("...\n") == "...\n"
    assert escape("...x") == "...x"


def test_every_small_text_escaped_matches_itself():
    pieces = ["a", "...", "\\", "{{", "}}", "x", "\n", "{{x}}", "{{end}}", " "]
    for size in range(5):
        for chosen in itertools.product(pieces, repeat=size):
            text = "".join(chosen)
            try:
                assert matches(escape(text), text), text
            except ValueError as error:  # pragma: no cover - shown if it ever happens
                pytest.fail(f"{text!r}: {error}")


# -- errors in the expected text --------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "message"),
    [
        (
            "{{any order}}\na\n{{any order}}\nb\n{{end}}\n{{end}}\n",
            "line 3: {{any order}} blocks cannot be nested (the block of line 1 is still "
            "open); close it with {{end}} first",
        ),
        (
            "x\n{{any order}}\na\n",
            "line 2: the {{any order}} block is never closed; end it with a line {{end}}",
        ),
        (
            "a\n{{end}}\n",
            "line 2: {{end}} closes no block; open one with a line {{any order}}, or write "
            "\\{{end}} for the literal text",
        ),
        (
            "{{any order}}\na\n...\n{{end}}\n",
            "line 3: a `...` line cannot be inside the {{any order}} block of line 1; close the "
            "block with {{end}} first",
        ),
        (
            "{{any order}}\nstart {{pid}}\nend {{pid}}\n{{end}}\n",
            "line 3: {{pid}} is captured in the {{any order}} block of line 1 and used again in "
            "it; use another name",
        ),
        (
            "{{pid}}...\n",
            "line 1: {{pid}} needs literal text between it and the next wildcard or capture, "
            "else what it captures is ambiguous",
        ),
        ("x\n...{{pid}}\n", "line 2: {{pid}} needs literal text"),
        ("{{a}}{{b}}\n", "line 1: {{a}} needs literal text"),
        ("{{a}}{{a}}\n", "line 1: {{a}} needs literal text"),
        ("<{{p}}>\n{{p}}{{q}}\n", "line 2: {{q}} needs literal text"),
    ],
)
def test_a_malformed_expected_text_is_a_clear_error(expected, message):
    with pytest.raises(ValueError) as raised:
        matches(expected, "")
    assert str(raised.value).startswith(message)
    with pytest.raises(ValueError):
        first_mismatch(expected, "")


def test_what_stays_allowed_around_captures_and_blocks():
    # A capture used again in a block, when it was made before the block.
    assert matches("{{p}}:\n{{any order}}\n{{p}}\n{{end}}\n", "1:\n1\n")
    # A capture made in a block and used after it.
    assert matches("{{any order}}\n<{{p}}>\n{{end}}\n{{p}}\n", "<1>\n1\n")
    # A used capture right next to a wildcard or to another used capture.
    assert matches("<{{p}}> <{{q}}>\n{{p}}...\n{{p}}{{q}}!\n", "<1> <2>\n1a\n12!\n")


# -- hints ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "actual", "hint"),
    [
        ("a\nb\n", "a\nc\n", "expected line 2: 'b' does not match output line 2: 'c'"),
        ("a\n", "a", "the expected text ends with a newline, the output does not"),
        ("a", "a\n", "the output ends with a newline, the expected text does not"),
        ("a\nb\n", "a\n", "expected line 2: 'b' is missing: the output ends after line 1"),
        ("a\nb", "a", "expected line 2: 'b' is missing: the output ends after line 1"),
        ("a\n", "", "expected line 1: 'a' is missing: the output is empty"),
        (
            "a\n",
            "a\nb\n",
            "output line 2: 'b' is not in the expected text, which ends before it",
        ),
        ("a", "a\nb", "output line 2: 'b' is not in the expected text, which ends before it"),
        ("", "x", "output line 1: 'x' is not in the expected text, which ends before it"),
        (
            "start\n...\nend\n",
            "start\nx\n",
            "expected line 3: 'end' does not match output line 2: 'x'",
        ),
        (
            "x\n...\ny\nz\n",
            "x\n",
            "expected line 3: 'y' is missing: the output ends after line 1",
        ),
        (
            "x\n...\ny\n...\nz\n",
            "x\n1\n2\nz\n",
            "expected line 3: 'y' matches no output line from line 2 on",
        ),
        (
            "x\n...\ny\nq\n...\nz\n",
            "x\ny\n1\ny\n2\nz\n",
            "expected line 4: 'q' does not match output line 3: '1' (the closest fit of the "
            "lines after a `...` line)",
        ),
        (
            "...\na\nb\nc\n...\n",
            "a\nb\nx\na\nb\ny\n",
            "expected line 4: 'c' does not match output line 3: 'x' (the closest fit of the "
            "lines after a `...` line)",
        ),
        (
            "a\n...\nb\nc\nd\n...\n",
            "a\nb\n",
            "expected line 4: 'c' is missing: the output ends after line 2",
        ),
        (
            "pid {{p}}\nagain {{p}}\n",
            "pid 1\nagain 2\n",
            "expected line 2: 'again {{p}}' does not match output line 2: 'again 2'",
        ),
        (
            "{{any order}}\na\nb\n{{end}}\n",
            "a\nc\n",
            "output line 2: 'c' fits no line of the {{any order}} block of line 1",
        ),
        (
            "{{any order}}\na...\na...\n{{end}}\n",
            "a\nb\n",
            "output line 2: 'b' fits no line of the {{any order}} block of line 1",
        ),
        (
            "{{any order}}\na\nb\n{{end}}\n",
            "a\na\n",
            "expected line 3: 'b' (in the {{any order}} block of line 1) matches no output "
            "line left for it among output lines 1-2",
        ),
        (
            "{{any order}}\na\nab\n{{end}}\n",
            "a\na\n",
            "expected line 3: 'ab' (in the {{any order}} block of line 1) matches no output "
            "line left for it among output lines 1-2",
        ),
        (
            "{{any order}}\na...\na\n{{end}}\n",
            "ax\nay\n",
            "expected line 3: 'a' (in the {{any order}} block of line 1) matches no output "
            "line left for it among output lines 1-2",
        ),
        (
            "{{any order}}\na\nb\nc\n{{end}}\n",
            "a\nc\nc\n",
            "expected line 3: 'b' (in the {{any order}} block of line 1) matches no output "
            "line left for it among output lines 1-3",
        ),
        (
            "{{any order}}\na\nb\nc\nd\n{{end}}\n",
            "b\nc\nd\nd\n",
            "expected line 2: 'a' (in the {{any order}} block of line 1) matches no output "
            "line left for it among output lines 1-4",
        ),
        (
            "x\n{{any order}}\na\nb\nc\n{{end}}\n",
            "x\na\n",
            "the {{any order}} block of expected line 2 needs 3 output lines, but only 1 are "
            "left after output line 1",
        ),
        (
            "x\n{{any order}}\na\nb\n{{end}}",
            "x\na",
            "the {{any order}} block of expected line 2 needs 2 output lines, but only 1 are "
            "left after output line 1",
        ),
        (
            "...\nv {{a}}\nw\n...\n",
            "v 1\nx\nv 2\ny\n",
            "expected line 3: 'w' does not match output line 2: 'x' (the closest fit of the "
            "lines after a `...` line)",
        ),
        (
            "a\n{{one line}}\n",
            "a",
            "expected line 2: '{{one line}}' is missing: the output ends after line 1",
        ),
        (
            "x\n{{any order}}\na\nb\n{{end}}\n",
            "x\na\n",
            "the {{any order}} block of expected line 2 needs 2 output lines, but only 1 are "
            "left after output line 1",
        ),
        (
            "...\n{{any order}}\na\nb\n{{end}}\n...\n",
            "a\nc\nc\n",
            "the {{any order}} block of expected line 2 fits no 2 consecutive output lines "
            "from line 1 on; from line 1: output line 2: 'c' fits no line of the "
            "{{any order}} block of line 2",
        ),
        (
            "...\nx\n{{any order}}\na\nb\n{{end}}\n...\n",
            "x\na\nc\n",
            "output line 3: 'c' fits no line of the {{any order}} block of line 3 (the "
            "closest fit of the lines after a `...` line)",
        ),
        (
            "...\nx\ny\nz\n...\n",
            "x\ny\n",
            "expected line 4: 'z' is missing: the output ends after line 2 (the closest fit of "
            "the lines after a `...` line)",
        ),
        (
            "x" * 70 + "\n",
            "y" * 70 + "\n",
            f"expected line 1: '{'x' * 60}'… does not match output line 1: '{'y' * 60}'…",
        ),
    ],
)
def test_first_mismatch_names_the_line_that_failed(expected, actual, hint):
    assert first_mismatch(expected, actual) == hint
    assert not matches(expected, actual)


def test_first_mismatch_is_none_when_it_matches():
    assert first_mismatch("a\n...\nb {{x}}\n", "a\n1\nb 2\n") is None


def test_a_line_of_exactly_sixty_characters_is_quoted_whole():
    hint = first_mismatch("x" * 60 + "\n", "y" * 60 + "\n")
    assert hint == f"expected line 1: '{'x' * 60}' does not match output line 1: '{'y' * 60}'"


# -- time: a complexity guard (linear-ish, never exponential) -------------------------------

_OUTPUT = "".join(f"step {i}: value={i * 7} took {i % 13}.{i % 7} ms\n" for i in range(10_000))
# 99 `...` lines and 198 inline `...`: one checked line every hundred output lines.
_CHECKS = "".join(f"...\nstep {k}: value=... took ... ms\n" for k in range(50, 9_950, 100))


def _timed(expected: str, actual: str) -> tuple[bool, float]:
    started = time.perf_counter()
    result = matches(expected, actual)
    return result, time.perf_counter() - started


def test_hundreds_of_wildcards_against_ten_thousand_lines_that_match():
    expected = _CHECKS + "...\n"
    assert expected.count("...") >= 290
    ok, seconds = _timed(expected, _OUTPUT)
    assert ok
    assert seconds < 1.0


@pytest.mark.parametrize(
    "expected",
    [
        _CHECKS + "...\nthe end\n",  # every `...` placed, then the last line is wrong
        _CHECKS.replace("step 9850:", "step 99999:") + "...\n",  # one never found
        _CHECKS + "...\n" + "step ...: value=... took ... ms\n" * 20 + "done\n" + "...\n",
    ],
)
def test_hundreds_of_wildcards_against_ten_thousand_lines_that_do_not_match(expected):
    ok, seconds = _timed(expected, _OUTPUT)
    assert not ok
    assert seconds < 1.0


def test_many_near_misses_cost_lines_times_pattern_lines_not_more():
    # Each of the 10,000 lines starts a fit of 40 lines that fails only at the last one.
    expected = "...\n" + "x ...\n" * 40 + "y\n...\n" + "... x\n" * 200
    ok, seconds = _timed(expected, "x 1\n" * 10_000)
    assert not ok
    assert seconds < 1.0


def test_the_classic_exponential_regex_killers_are_instant():
    line = "a" * 100_000 + "\n"
    for expected in ["a...a...a...a...b\n", "a...a...a...a...a...c...a\n", "...a...a...a...b\n"]:
        ok, seconds = _timed(expected, line)
        assert not ok
        assert seconds < 1.0
    lines = "a\n" * 10_000
    ok, seconds = _timed("...\na\n...\na\n...\na\n...\na\n...\nb\n", lines)
    assert not ok
    assert seconds < 1.0
    ok, seconds = _timed("{{p}}a...a...a...b\n", line)  # a capture too
    assert not ok
    assert seconds < 1.0


@pytest.mark.parametrize(
    ("expected", "literal"),
    [
        ("a\nb\n", True),
        ("", True),
        ("three dots \\... escaped\n", True),
        ("\\{{not a capture}}\n", True),
        ("a...b\n", False),
        ("...\n", False),
        ("a\n...", False),
        ("{{one line}}\n", False),
        ("pid {{pid}}\n", False),
        ("{{any order}}\na\nb\n{{end}}\n", False),
    ],
)
def test_is_literal(expected, literal):
    assert matcher.is_literal(expected) is literal


# -- what the matcher must not accept, and the captures it makes -------------------------


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        # A line with a capture is anchored at its start, like any other line.
        ("pid {{pid}} end\n", "pid 42 end\n", True),
        ("pid {{pid}} end\n", "my pid 42 end\n", False),
        # The pieces between wildcards come after what precedes them, not inside it...
        ("a-b{{x}}-{{y}}\n", "a-b1-2\n", True),
        ("a-b{{x}}-{{y}}\n", "a-b12\n", False),
        ("ab...b...c\n", "abbc\n", True),
        ("ab...b...c\n", "abc\n", False),
        # ... and before what ends the line, not inside it.
        ("a...b...b\n", "abb\n", True),
        ("a...b...b\n", "ab\n", False),
        # An escaped `...` is literal text joined to the text around it.
        ("a\\...b...c\n", "a...bXc\n", True),
        ("a\\...b...c\n", "a-...-b-c\n", False),
        # `{{end}}` inside a line is literal text, not a capture.
        ("use {{end}} here\n", "use {{end}} here\n", True),
        ("use {{end}} here\n", "use it here\n", False),
        # A line that is only a used capture must be exactly what was captured.
        ("pid {{pid}}\n{{pid}}\n", "pid 42\n42\n", True),
        ("pid {{pid}}\n{{pid}}\n", "pid 42\n43\n", False),
    ],
)
def test_what_wildcards_and_captures_do_not_match(expected, actual, ok):
    assert matches(expected, actual) is ok


def test_captures_take_the_leftmost_split_of_a_line():
    captures: dict[str, str] = {}
    assert matches("a-b{{x}}-{{y}}\n", "a-b1-2-3\n", captures)
    assert captures == {"x": "1", "y": "2-3"}
    captures = {}
    assert matches("{{a}}, {{b}}\n", "1, 2, 3\n", captures)
    assert captures == {"a": "1", "b": "2, 3"}


def test_a_capture_named_again_later_in_an_any_order_block_is_an_error():
    with pytest.raises(ValueError, match=r"line 5: \{\{a\}\} is captured in the \{\{any order\}\}"):
        matches("{{any order}}\nx {{a}}\ny\nz\n{{a}} w\n{{end}}\n", "")


def test_any_order_lines_may_use_captures_made_before_a_wildcard_line():
    expected = "pid {{p}}\n...\n{{any order}}\nx\ngot {{p}}\n{{end}}\n"
    captures: dict[str, str] = {}
    assert matches(expected, "pid 7\nq\ngot 7\nx\n", captures)
    assert captures == {"p": "7"}
    assert not matches(expected, "pid 7\nq\ngot 8\nx\n")


def test_any_order_lines_use_the_capture_of_the_place_being_tried():
    # After a `...` line the segment slides along the output: at each place the
    # block's lines see the capture made there, not one made at an earlier place.
    expected = "...\nid {{x}}\n{{any order}}\ngot {{x}}\n{{one line}}\n{{end}}\n...\ntail"
    assert matches(expected, "id 1\nid 2\ngot 2\nzzz\ntail")


@pytest.mark.parametrize(
    ("expected", "actual", "hint"),
    [
        ("a...\n", "b\n", "expected line 1: 'a...' does not match output line 1: 'b'"),
        (
            "x\na...\n",
            "x\nb\n",
            "expected line 2: 'a...' does not match output line 2: 'b'",
        ),
        (
            "a\n{{any order}}\nb\n{{end}}\n",
            "a\n",
            "the {{any order}} block of expected line 2 needs 1 output lines, "
            "but only 0 are left after output line 1",
        ),
        (
            "...\npid {{p}}\nb\nc\n...\nend",
            "pid 1\nb",
            "expected line 4: 'c' is missing: the output ends after line 2",
        ),
        (
            "pid {{p}}\n...\n{{any order}}\ngot {{p}}\n{{end}}\n...\n",
            "pid 1\nzzz\n",
            "the {{any order}} block of expected line 3 fits no 1 consecutive output lines "
            "from line 2 on; from line 2: output line 2: 'zzz' fits no line of the "
            "{{any order}} block of line 3",
        ),
    ],
)
def test_hints_for_wildcard_lines_blocks_and_captures(expected, actual, hint):
    assert first_mismatch(expected, actual) == hint
