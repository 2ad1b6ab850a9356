"""Prose bound to outputs: a post quotes what a snippet printed instead of typing it.

Two inline forms, replaced before the page renders (like MyST-NB's ``glue``):

- ``[[printed: <slug>/<name>.py | <regex>]]`` is the text the regex's first group
  captured in the snippet's stdout under every interpreter that ran it: the one
  value when all agree, ``low–high`` when they are numbers that differ (a
  measured slowdown), and an error otherwise.
- ``[[versions: <slug>/<name>.py | <regex>]]`` is the interpreters whose stdout
  matches the regex, e.g. ``CPython 3.13.18–3.15.2``; an error when none does.

So "between 21 and 121 times" or "3.9 to 3.13" can never drift from the outputs
on the same page: when the outputs change, the prose changes with them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..executor.interpreters import Interpreter, versions_text

QUOTE = re.compile(
    r"\[\[(?P<kind>printed|versions):\s*(?P<path>[^|\]]+?)\s*\|\s*(?P<regex>.+?)\s*\]\]"
)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class QuoteError(ValueError):
    """A quote that cannot be filled (the message names it and says why)."""


def fill(
    text: str, outputs: Callable[[str], dict[Interpreter, str]], where: str = "the page"
) -> str:
    """``text`` with every quote replaced; ``outputs(path)`` gives each interpreter's stdout."""

    def one(match: re.Match) -> str:
        quote = match.group(0)
        try:
            pattern = re.compile(match["regex"], re.M)
        except re.error as error:
            raise QuoteError(f"{where}: {quote}: the regex is not valid ({error})") from None
        printed = outputs(match["path"].strip())
        if not printed:
            raise QuoteError(f"{where}: {quote}: no interpreter ran {match['path']}")
        if match["kind"] == "versions":
            return _versions(quote, pattern, printed, where)
        return _printed(quote, pattern, printed, where)

    return QUOTE.sub(one, text)


def _versions(quote: str, pattern: re.Pattern, printed: dict, where: str) -> str:
    matching = [i for i in sorted(printed) if pattern.search(printed[i])]
    if not matching:
        raise QuoteError(f"{where}: {quote}: no interpreter's output matches")
    return f"{matching[0].implementation} {versions_text(matching)}"


def _printed(quote: str, pattern: re.Pattern, printed: dict, where: str) -> str:
    values = []
    for interpreter in sorted(printed):
        found = pattern.search(printed[interpreter])
        if found is None:
            raise QuoteError(f"{where}: {quote}: not in the output of {interpreter.label}")
        values.append(found.group(1) if pattern.groups else found.group(0))
    if len(set(values)) == 1:
        return values[0]
    if all(_NUMBER.fullmatch(value) for value in values):
        low, high = min(values, key=float), max(values, key=float)
        return f"{low}–{high}"
    raise QuoteError(
        f"{where}: {quote}: the interpreters printed different values {sorted(set(values))}; "
        "quote a number (shown as a range) or use [[versions: ...]] to say which printed what"
    )
