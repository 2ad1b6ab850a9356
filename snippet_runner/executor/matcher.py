"""Match a program's output against an expected text with wildcards, in linear-ish time.

Both texts are split into lines at each ``\\n``; what follows the last newline
(empty when the text ends with one) is a last line like any other, so a
missing or extra final newline is a difference. Syntax of an expected text:

- a line that is exactly ``...`` matches any number of whole lines, none included;
- ``...`` inside a line matches any text within that line (several per line allowed);
- a line that is exactly ``{{one line}}`` matches exactly one line, whatever it holds;
- ``{{name}}`` inside a line (``name`` is ``[a-z_][a-z0-9_]*``, not ``end``) is a
  capture: its first occurrence in the text matches any text within the line,
  like ``...``, and every later occurrence must be exactly that text (a pid
  printed twice);
- a line that is exactly ``{{any order}}`` opens a block closed by a line that
  is exactly ``{{end}}``: the N lines between match N consecutive output lines
  in any order, each used once (they may hold inline wildcards and captures);
- a backslash makes the next token literal: ``\\...`` is three dots, ``\\{{`` is
  two braces; any other backslash is itself;
- everything else is literal text.

A last line that is exactly ``...`` with no newline after it matches whole
lines only, each with its newline (as the regex matcher before this one did).

How it runs, and what it costs. No regex ever runs over the output: the
expected text is parsed once into lines; a line with wildcards is split into
its literal pieces, matched with ``startswith``/``endswith`` for the ends and
``str.find`` (leftmost) for the pieces between, which is exact for ``*``-style
globs. The ``...`` lines cut the expected text into segments of fixed length;
the first segment must fit at the start of the output, the last at its end,
and each one between is placed at its leftmost fit after the previous one.
Leftmost placement is exact for segments separated by "any lines" (a later
fit never leaves more room), so nothing is ever retried: each output line is
tried as the start of one segment at most, and the worst case is
O(n * m) line comparisons for n output lines and a longest segment of m lines
(O(n) when segments are short), each comparison linear in the line's length.
An ``{{any order}}`` block of N lines compares each output line with its N
lines once (kept as bit masks while the block slides along the output); where
every line has a candidate, a bipartite matching (augmenting paths, O(N^3) at
worst, meant for blocks of a few dozen lines) finds the assignment.

Known limitation: captures bind greedily. A capture takes the text it
matched at the first place its line fits (the leftmost placement of its
segment, the leftmost split of its line) and keeps it; a failed placement is
rolled back, but a successful one is never revisited, so an output that only
matches with another binding is reported as a mismatch. For the same reason a
capture first named inside an ``{{any order}}`` block may not be used again
in that block, and a capture may not touch another wildcard on its line
(``{{pid}}...``): both are reported as errors in the expected text.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

WILDCARD = "..."
ONE_LINE = "{{one line}}"
ANY_ORDER = "{{any order}}"
END = "{{end}}"

# Tokens inside a line, left to right: an escaped token, an inline wildcard, a capture.
_TOKEN = re.compile(r"\\(\.\.\.|\{\{)|(\.\.\.)|\{\{([a-z_][a-z0-9_]*)\}\}")

# Kinds of the parts of a line.
_LIT, _GLOB, _DEF, _REF = "lit", "glob", "def", "ref"

_SHOWN = 60  # characters of a line quoted in a hint


@dataclass(frozen=True)
class _Line:
    """One expected line: ``parts`` are (kind, value) pairs; ``literal`` when it has no wildcard."""

    number: int  # 1-based line in the expected text
    text: str  # as written, for hints
    parts: tuple[tuple[str, str], ...] = ()
    literal: str | None = None
    any: bool = False  # {{one line}}
    end: bool = False  # the empty rest after the expected text's last newline
    outer: bool = False  # uses captures made on other lines
    glob: tuple[str, tuple[str, ...], str] | None = None  # (head, middle, tail) without captures


@dataclass(frozen=True)
class _Block:
    number: int  # line of its {{any order}}
    lines: tuple[_Line, ...]


def matches(expected: str, actual: str, captures: dict[str, str] | None = None) -> bool:
    """Whether ``actual`` matches ``expected``; raises ValueError for a malformed expected text.

    When ``captures`` is given and the texts match, it is updated with the
    text each ``{{name}}`` captured.
    """
    bound = _Match(_parse(expected), actual).run()
    if bound is None:
        return False
    if captures is not None:
        captures.update(bound)
    return True


def first_mismatch(expected: str, actual: str) -> str | None:
    """A short hint naming the expected line that could not be matched, or None when it matches."""
    match = _Match(_parse(expected), actual)
    return None if match.run() is not None else match.hint


def is_literal(expected: str) -> bool:
    """Whether ``expected`` matches one text only: no wildcard, capture or any-order block."""
    segments = _parse(expected)
    return len(segments) == 1 and all(
        isinstance(item, _Line) and item.literal is not None for item in segments[0]
    )


def escape(text: str) -> str:
    """An expected text that matches ``text``: what would change its meaning is escaped.

    ``{{`` is always escaped, and so is ``...`` after a backslash and a last
    unterminated ``...`` line; other ``...`` stay as printed (they match
    themselves), so recorded files read like the output.
    """
    escaped = text.replace("\\...", "\\\\...").replace("{{", "\\{{")
    head, newline, last = escaped.rpartition("\n")
    if last == WILDCARD:
        return head + newline + "\\" + WILDCARD
    return escaped


# -- parsing -------------------------------------------------------------------


def _parse(expected: str) -> list[list[_Line | _Block]]:
    """The expected text as segments: the runs of lines between ``...`` lines."""
    texts = expected.split("\n")
    if texts[-1] == WILDCARD:  # a last `...` without its newline still matches whole lines
        texts.append("")
    segments: list[list[_Line | _Block]] = [[]]
    defined: set[str] = set()
    block: list[_Line] | None = None
    block_at = 0
    block_defs: set[str] = set()
    for number, text in enumerate(texts, 1):
        if text == WILDCARD:
            if block is not None:
                raise ValueError(
                    f"line {number}: a `...` line cannot be inside the {ANY_ORDER} block "
                    f"of line {block_at}; close the block with {END} first"
                )
            segments.append([])
        elif text == ANY_ORDER:
            if block is not None:
                raise ValueError(
                    f"line {number}: {ANY_ORDER} blocks cannot be nested (the block of line "
                    f"{block_at} is still open); close it with {END} first"
                )
            block, block_at, block_defs = [], number, set()
        elif text == END:
            if block is None:
                raise ValueError(
                    f"line {number}: {END} closes no block; open one with a line {ANY_ORDER}, "
                    f"or write \\{END} for the literal text"
                )
            segments[-1].append(_Block(block_at, tuple(block)))
            block = None
        else:
            end = number == len(texts) and text == ""
            line = _parse_line(number, text, defined, end)
            if block is not None:
                names = {value for kind, value in line.parts if kind in (_DEF, _REF)}
                reused = sorted(names & block_defs)
                if reused:
                    raise ValueError(
                        f"line {number}: {{{{{reused[0]}}}}} is captured in the {ANY_ORDER} "
                        f"block of line {block_at} and used again in it; use another name"
                    )
                block_defs |= {value for kind, value in line.parts if kind == _DEF}
                block.append(line)
            else:
                segments[-1].append(line)
    if block is not None:
        raise ValueError(
            f"line {block_at}: the {ANY_ORDER} block is never closed; end it with a line {END}"
        )
    return segments


def _parse_line(number: int, text: str, defined: set[str], end: bool) -> _Line:
    if text == ONE_LINE:
        return _Line(number, text, any=True)
    parts: list[tuple[str, str]] = []
    at = 0
    for token in _TOKEN.finditer(text):
        parts.append((_LIT, text[at : token.start()]))
        escaped, glob, name = token.groups()
        if escaped:
            parts.append((_LIT, escaped))
        elif glob:
            parts.append((_GLOB, ""))
        elif name == "end":  # {{end}} is only special as a whole line
            parts.append((_LIT, token.group()))
        elif name in defined:
            parts.append((_REF, name))
        else:
            defined.add(name)
            parts.append((_DEF, name))
        at = token.end()
    parts.append((_LIT, text[at:]))
    parts = _merge(parts)
    for i, (kind, name) in enumerate(parts):
        neighbours = parts[i - 1 : i] + parts[i + 1 : i + 2]
        if kind == _DEF and any(other != _LIT for other, _ in neighbours):
            raise ValueError(
                f"line {number}: {{{{{name}}}}} needs literal text between it and the next "
                "wildcard or capture, else what it captures is ambiguous"
            )
    if all(kind == _LIT for kind, _ in parts):
        return _Line(number, text, tuple(parts), literal="".join(v for _, v in parts), end=end)
    if all(kind in (_LIT, _GLOB) for kind, _ in parts):
        head = parts[0][1] if parts[0][0] == _LIT else ""
        tail = parts[-1][1] if parts[-1][0] == _LIT else ""  # not also the head: 2+ parts
        middle = tuple(value for kind, value in parts[1:-1] if kind == _LIT)
        return _Line(number, text, tuple(parts), end=end, glob=(head, middle, tail))
    here = {name for kind, name in parts if kind == _DEF}
    outer = any(kind == _REF and name not in here for kind, name in parts)
    return _Line(number, text, tuple(parts), end=end, outer=outer)


def _merge(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join neighbouring literals, drop empty ones, fold runs of ``...`` into one."""
    merged: list[tuple[str, str]] = []
    for kind, value in parts:
        if kind == _LIT and not value:
            continue
        if merged and kind in (_LIT, _GLOB) and merged[-1][0] == kind:
            merged[-1] = (kind, merged[-1][1] + value)
        else:
            merged.append((kind, value))
    return merged


# -- matching ------------------------------------------------------------------


def _fit(
    line: _Line, actual: str, bound: dict[str, str], new: dict[str, str]
) -> tuple[tuple[str, str], ...] | None:
    """The captures one output line makes when it fits one expected line, else None.

    ``bound`` and ``new`` hold what earlier lines captured.
    """
    if line.literal is not None:
        return () if actual == line.literal else None
    if line.glob is not None:
        return () if _glob(*line.glob, actual) else None
    if line.any:
        return ()
    parts = line.parts
    if line.outer:  # what earlier lines captured is literal text here
        here = {name for kind, name in parts if kind == _DEF}
        parts = tuple(
            _merge(
                [
                    (_LIT, new[name] if name in new else bound[name])
                    if kind == _REF and name not in here
                    else (kind, name)
                    for kind, name in parts
                ]
            )
        )
    made: dict[str, str] = {}
    pos = 0
    hole: str | None = None  # the open wildcard: "" for `...`, else the capture's name
    last = len(parts) - 1
    for i, (kind, value) in enumerate(parts):
        if kind in (_GLOB, _DEF):
            hole = value
            continue
        if kind == _REF:  # captured earlier on this line
            value = made[value]
        if hole is None:  # anchored right where the previous piece ended
            if not actual.startswith(value, pos):
                return None
            pos += len(value)
            continue
        if i == last:  # the last piece after a wildcard ends the line
            found = len(actual) - len(value)
            if found < pos or not actual.endswith(value):
                return None
        else:  # leftmost: exact for `...`, the greedy binding of a capture
            found = actual.find(value, pos)
            if found < 0:
                return None
        if hole:
            made[hole] = actual[pos:found]
        pos, hole = found + len(value), None
    if hole is None:
        if pos != len(actual):
            return None
    elif hole:
        made[hole] = actual[pos:]
    return tuple(made.items())


def _glob(head: str, middle: tuple[str, ...], tail: str, actual: str) -> bool:
    """Whether ``actual`` is ``head``, then each of ``middle`` in order, then ``tail``, with
    anything around the middle pieces: leftmost ``find`` is exact for ``...``."""
    end = len(actual) - len(tail)
    if end < len(head) or not actual.startswith(head) or not actual.endswith(tail):
        return False
    pos = len(head)
    for piece in middle:
        found = actual.find(piece, pos, end)
        if found < 0:
            return False
        pos = found + len(piece)
    return True


def _anything(actual: str) -> bool:
    return True


def _test(item: _Line | _Block) -> Callable[[str], bool] | None:
    """A fast test of one output line for an expected line without captures, else None."""
    if isinstance(item, _Block):
        return None
    if item.literal is not None:
        return item.literal.__eq__
    if item.glob is not None:
        return functools.partial(_glob, *item.glob)
    return _anything if item.any else None


def _assign(edges: list[list[int]], size: int) -> list[int] | int:
    """A perfect bipartite matching (pattern line -> output line), else a pattern line left out."""
    owner = [-1] * size  # output line -> pattern line

    def augment(p: int, seen: list[bool]) -> bool:
        for a in edges[p]:
            if not seen[a]:
                seen[a] = True
                if owner[a] < 0 or augment(owner[a], seen):
                    owner[a] = p
                    return True
        return False

    for p in range(len(edges)):
        if not augment(p, [False] * size):
            return p
    return [owner.index(p) for p in range(len(edges))]


def _size(segment: list[_Line | _Block]) -> int:
    """How many output lines a segment matches."""
    return sum(len(item.lines) if isinstance(item, _Block) else 1 for item in segment)


class _Match:
    """One comparison: the parsed expected text against the output's lines."""

    def __init__(self, segments: list[list[_Line | _Block]], actual: str) -> None:
        self.segments = segments
        self.lines = actual.split("\n")
        self.bound: dict[str, str] = {}
        self.hint: str | None = None
        self.masks: dict[tuple[int, int], int] = {}  # (block, output line) -> block lines it fits

    def run(self) -> dict[str, str] | None:
        """The captures when the output matches, else None (and ``hint`` says where it failed)."""
        first, *rest = self.segments
        if not rest:  # no `...` line: the one segment is the whole output
            if not self._place(first, 0):
                return None
            size = _size(first)
            if size != len(self.lines):
                self.hint = self._extra(size)
                return None
            return self.bound
        *middle, last = rest
        if not self._place(first, 0):
            return None
        pos = _size(first)
        for segment in middle:
            start = self._leftmost(segment, pos)
            if start is None:
                return None
            pos = start + _size(segment)
        # The last lines end the output; where too few are left, placing them at
        # `pos` fails and says which expected line has no output line.
        start = max(len(self.lines) - _size(last), pos)
        return self.bound if self._place(last, start) else None

    def _place(self, segment: list[_Line | _Block], start: int) -> bool:
        """Whether ``segment`` fits at ``start``; keeps its captures, else sets the hint."""
        new: dict[str, str] = {}
        failed = self._try(segment, start, new)
        if failed is not None:
            self.hint = failed[1]
            return False
        self.bound.update(new)
        return True

    def _leftmost(self, segment: list[_Line | _Block], pos: int) -> int | None:
        """Where ``segment`` first fits from ``pos`` on (keeping its captures), else None."""
        starts = range(pos, len(self.lines) - _size(segment) + 1)
        tests = [_test(item) for item in segment]
        best = (0, pos)  # the attempt that got furthest explains a failure best
        if None not in tests:  # plain lines only: the hot loop, no captures to keep
            lines = self.lines
            for start in starts:
                for done, test in enumerate(tests):
                    if not test(lines[start + done]):
                        break
                else:
                    return start
                if done > best[0]:
                    best = (done, start)
        else:
            for start in starts:
                new: dict[str, str] = {}
                failed = self._try(segment, start, new)
                if failed is None:
                    self.bound.update(new)
                    return start
                if failed[0] > best[0]:
                    best = (failed[0], start)
        if best[0]:
            hint = self._try(segment, best[1], {})[1]
            self.hint = f"{hint} (the closest fit of the lines after a `...` line)"
        elif not starts:  # too few lines left to try anywhere
            self.hint = self._try(segment, pos, {})[1]
        elif isinstance(segment[0], _Block):
            block = segment[0]
            self.hint = (
                f"the {ANY_ORDER} block of expected line {block.number} fits no "
                f"{len(block.lines)} consecutive output lines from line {pos + 1} on; "
                f"from line {pos + 1}: {self._try(segment, pos, {})[1]}"
            )
        else:
            self.hint = (
                f"{self._expected(segment[0])} matches no output line from line {pos + 1} on"
            )
        return None

    def _try(
        self, segment: list[_Line | _Block], start: int, new: dict[str, str]
    ) -> tuple[int, str] | None:
        """None when ``segment`` fits at ``start``, else (items that did fit, hint)."""
        at = start
        for done, item in enumerate(segment):
            if isinstance(item, _Block):
                failed = self._block(item, at, new)
                if failed is not None:
                    return done, failed
                at += len(item.lines)
                continue
            if at >= len(self.lines):
                return done, self._missing(item)
            made = _fit(item, self.lines[at], self.bound, new)
            if made is None:
                return done, self._differs(item, at)
            if made:
                new.update(made)
            at += 1
        return None

    def _block(self, block: _Block, at: int, new: dict[str, str]) -> str | None:
        """None when the block fits the output lines from ``at`` in some order, else why not."""
        size = len(block.lines)
        left = len(self.lines) - (not self.lines[-1]) - at  # not counting the end after a newline
        failed = "" if at + size > len(self.lines) else self._assign_block(block, at, new)
        if failed is not None and left < size:
            return (
                f"the {ANY_ORDER} block of expected line {block.number} needs {size} output "
                f"lines, but only {max(left, 0)} are left after output line {at}"
            )
        return failed

    def _assign_block(self, block: _Block, at: int, new: dict[str, str]) -> str | None:
        size = len(block.lines)
        # Which block lines each output line fits, as a bit mask; remembered across
        # the places the block is tried unless it uses captures made outside it.
        masks = []
        for index in range(at, at + size):
            mask = self.masks.get((block.number, index))
            if mask is None:
                mask = sum(
                    1 << p
                    for p, line in enumerate(block.lines)
                    if _fit(line, self.lines[index], self.bound, new) is not None
                )
                if not any(line.outer for line in block.lines):
                    self.masks[block.number, index] = mask
            if not mask:
                return (
                    f"{self._output(index)} fits no line of the {ANY_ORDER} block of "
                    f"line {block.number}"
                )
            masks.append(mask)
        union = functools.reduce(operator.or_, masks, 0)
        if union != (1 << size) - 1:  # a block line that no output line fits
            assignment: list[int] | int = (~union & (union + 1)).bit_length() - 1
        else:
            edges = [[a for a, mask in enumerate(masks) if mask >> p & 1] for p in range(size)]
            assignment = _assign(edges, size)
        if isinstance(assignment, int):
            line = block.lines[assignment]
            return (
                f"{self._expected(line)} (in the {ANY_ORDER} block of line {block.number}) "
                f"matches no output line left for it among output lines {at + 1}-{at + size}"
            )
        for line, a in zip(block.lines, assignment):
            made = _fit(line, self.lines[at + a], self.bound, new)
            new.update(made or ())  # a capture is named once in a block: no conflicts
        return None

    # -- hints -----------------------------------------------------------------

    def _expected(self, item: _Line | _Block) -> str:
        if isinstance(item, _Block):
            return f"the {ANY_ORDER} block of expected line {item.number}"
        return f"expected line {item.number}: {_clip(item.text)}"

    def _output(self, index: int) -> str:
        return f"output line {index + 1}: {_clip(self.lines[index])}"

    def _is_end(self, index: int) -> bool:
        return index == len(self.lines) - 1 and not self.lines[index]

    def _differs(self, item: _Line, at: int) -> str:
        if item.end:
            return f"{self._output(at)} is not in the expected text, which ends before it"
        if self._is_end(at):
            return self._missing(item)
        return f"{self._expected(item)} does not match {self._output(at)}"

    def _missing(self, item: _Line) -> str:
        if item.end:
            return "the expected text ends with a newline, the output does not"
        count = len(self.lines) - (not self.lines[-1])
        ends = f"ends after line {count}" if count else "is empty"
        return f"{self._expected(item)} is missing: the output {ends}"

    def _extra(self, index: int) -> str:
        if self._is_end(index):
            return "the output ends with a newline, the expected text does not"
        return f"{self._output(index)} is not in the expected text, which ends before it"


def _clip(text: str) -> str:
    return repr(text) if len(text) <= _SHOWN else repr(text[:_SHOWN]) + "…"
