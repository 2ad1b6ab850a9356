"""What legitimately varies between runs: shortened paths, and a folder's redactions.

``shorten_paths`` makes an output the same on every machine before it is
shown or compared: the script's working directory disappears
(``File "/tmp/snippet/chunks.py"`` -> ``File "chunks.py"``) and a path into a
standard library keeps only its part after ``lib/pythonX.Y/``
(``/usr/lib/python3.14/multiprocessing/pool.py`` -> ``…/multiprocessing/pool.py``).

Redactions replace what changes from run to run (pids, addresses, timings)
with a placeholder, in the output that is compared and recorded, never in
the one the page shows. A post's folder lists them in
``snippets/<slug>/compare.toml``::

    # How this post's outputs are compared. The page always shows the real output.
    [all]                 # every snippet of this folder
    redact = ["pid"]
    [chunks]              # chunks.py only (added to [all])
    redact = ["duration", { pattern = 'took \\d+ tasks', replace = "took <n> tasks" }]

An entry is a preset name (see ``PRESETS``) or a table with a Python regular
expression ``pattern`` (``^`` and ``$`` match at each line) and its
``replace`` text (``\\1`` refers to a group). Rules apply in order: ``[all]``
first, then the snippet's own section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import tomllib

from .sandbox import WORKDIR  # where every script runs

COMPARE_FILE = "compare.toml"

# A path into a standard library, up to and including `lib/pythonX.Y/`. It
# starts at a `/` where a path can start (start of text, a space, a quote, a
# bracket, `=`, `:` or `,`) and its lazy run stops at any of those, so each
# character is scanned from one start at most: one quantifier, linear time.
_STDLIB = re.compile(r"""(?<![^\s"'(\[<=:,])/[^\s"'(\[<=:,]*?(?<=/)lib/python\d+\.\d+/""")
_ELLIPSIS = "…/"


@dataclass(frozen=True)
class Rule:
    """Replace each match of ``pattern`` with ``replace`` (a ``re.sub`` template)."""

    pattern: re.Pattern[str]
    replace: str


def _pid() -> Rule:
    # Only where the number is clearly a process id: `pid 42`, `pid=42`, `PID: 42`,
    # `ppid=41`, and the `parent=41` of a multiprocessing Process repr. Not
    # `worker 3` or `process 2 of 4`: those are usually counters.
    contexts = [f"{word}{sep}" for word in ("pid", "ppid") for sep in ("=", ":", " ", ": ")]
    contexts.append("parent=")
    behind = "|".join(rf"(?<=\b{re.escape(context)})" for context in contexts)
    return Rule(re.compile(rf"(?:{behind})\d+\b", re.IGNORECASE), "<pid>")


#: Redactions a compare.toml can name.
PRESETS: MappingProxyType[str, Rule] = MappingProxyType(
    {
        "address": Rule(re.compile(r"\b0x[0-9a-fA-F]{6,}\b"), "0x<address>"),
        # 0.52 s, 1.3ms, 12 µs: a number (not part of a word or a version) and a unit.
        "duration": Rule(re.compile(r"(?<![\w.])\d+(?:\.\d+)? ?(?:s|ms|µs|us|ns)\b"), "<duration>"),
        "pid": _pid(),
    }
)


@dataclass(frozen=True)
class Redactor:
    """Applies its rules in order; no rules leaves a text as it is."""

    rules: tuple[Rule, ...] = ()

    def apply(self, text: str) -> str:
        for rule in self.rules:
            text = rule.pattern.sub(rule.replace, text)
        return text


def shorten_paths(text: str, *, workdir: str = WORKDIR, host_workdirs: tuple[str, ...] = ()) -> str:
    """``text`` with the script's directory removed and standard-library paths shortened.

    ``host_workdirs`` are other directories a script ran in (a temporary
    directory when the sandbox is off); each is removed like ``workdir``.
    Applying it twice changes nothing.
    """
    folders = sorted({f for f in (workdir, *host_workdirs) if f.strip("/")}, key=len, reverse=True)
    if folders:  # longest first, so a folder inside another one does not win
        text = re.sub("|".join(re.escape(f.rstrip("/") + "/") for f in folders), "", text)
    return _STDLIB.sub(_ELLIPSIS, text)


class CompareFileError(ValueError):
    """A mistake in a compare.toml: ``str()`` is ``"<path>: <detail>"``."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


def redactor_for(snippet: Path) -> Redactor:
    """The redactions of ``snippet``: its folder's compare.toml, ``[all]`` then its own section.

    No compare.toml means no redactions. A mistake anywhere in the file raises
    CompareFileError (a ValueError) naming the file, the entry and what to
    write instead.
    """
    path = snippet.parent / COMPARE_FILE
    if not path.is_file():
        return Redactor()
    try:
        sections = _sections(path)
    except ValueError as error:
        raise CompareFileError(path, str(error)) from None
    rules: list[Rule] = []
    for name in ("all", snippet.stem):
        rules += sections.get(name, ())
    return Redactor(tuple(rules))


def _sections(path: Path) -> dict[str, tuple[Rule, ...]]:
    """Every section of a compare.toml, checked in full; ValueError says what is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 ({error.reason}); save it as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"not valid TOML ({error})") from None
    snippets = sorted(p.stem for p in path.parent.glob("*.py"))
    sections = {}
    for name, section in data.items():
        where = f"[{name}]"
        if name != "all" and name not in snippets:
            choices = ", ".join(f"[{s}]" for s in snippets) or "none"
            raise ValueError(
                f"{where} names no snippet of this folder (there is no {name}.py); write [all] "
                f"for every snippet, or one of: {choices}"
            )
        if not isinstance(section, dict):
            raise ValueError(f"{where} must be a table: write [{name}] then redact = [...]")
        unknown = sorted(set(section) - {"redact"})
        if unknown:
            raise ValueError(f"{where}: unknown key '{unknown[0]}'; the only key is redact = [...]")
        entries = section.get("redact", [])
        if not isinstance(entries, list):
            raise ValueError(f'{where}: redact must be a list, e.g. redact = ["pid"]')
        sections[name] = tuple(_rule(entry, where) for entry in entries)
    return sections


def _rule(entry: object, where: str) -> Rule:
    presets = ", ".join(sorted(PRESETS))
    table = "{ pattern = '...', replace = \"...\" }"
    if isinstance(entry, str):
        if entry not in PRESETS:
            raise ValueError(
                f"{where}: unknown preset '{entry}'; the presets are {presets}, "
                f"or write a rule of your own: {table}"
            )
        return PRESETS[entry]
    if not isinstance(entry, dict) or set(entry) != {"pattern", "replace"}:
        raise ValueError(
            f"{where}: {entry!r} is not a redaction; write a preset name ({presets}) "
            f"or a table with exactly two keys: {table}"
        )
    pattern, replace = entry["pattern"], entry["replace"]
    if not isinstance(pattern, str) or not isinstance(replace, str):
        raise ValueError(f"{where}: pattern and replace must be strings: {table}")
    try:
        compiled = re.compile(pattern, re.MULTILINE)
    except re.error as error:
        raise ValueError(
            f"{where}: bad pattern {pattern!r} ({error}); write a Python regular expression, "
            "in a TOML literal string ('...') so backslashes stay as they are"
        ) from None
    try:
        compiled.sub(replace, "")  # checks the template (group references) at once
    except (re.error, IndexError) as error:
        raise ValueError(
            f"{where}: bad replace {replace!r} for {pattern!r} ({error}); refer only to "
            "groups the pattern has (\\1, \\g<name>), and write \\\\ for a backslash"
        ) from None
    return Rule(compiled, replace)
