"""A block's run options, parsed in one place, and the verdict on a finished run."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from .config import ConfigError, parse_bool
from .process import RunResult

#: Fence options this project adds to markdown-exec's own.
OPTIONS = ("timeout", "hangs", "versions", "reason")
#: Every fence option that changes how a block runs (ours, and markdown-exec's two).
RUN_KEYS = (*OPTIONS, "returncode", "width")

#: Lines of stderr quoted in a verdict.
STDERR_TAIL_LINES = 20


class OptionError(ValueError):
    """A fence option that cannot be used as written."""


@dataclass(frozen=True)
class RunOptions:
    timeout: float = 60.0
    hangs: bool = False
    returncode: int = 0
    versions: str = ""  # a version specifier such as ">=3.12"; empty means all
    reason: str = ""  # why the block is restricted, shown to the reader
    width: int = 80  # the terminal width the script sees (COLUMNS)

    def runs_on(self, version: str) -> bool:
        try:
            return not self.versions or SpecifierSet(self.versions).contains(Version(version))
        except InvalidVersion:
            return False

    @classmethod
    def parse(
        cls, raw: Mapping[str, object], *, default_timeout: float = 60.0, max_timeout: float = 600.0
    ) -> RunOptions:
        """Read ``timeout``, ``hangs``, ``returncode``, ``versions``/``reason`` and ``width``."""
        timeout = default_timeout
        if "timeout" in raw:
            timeout = _positive(raw["timeout"], "timeout", float)
            if not timeout <= max_timeout:
                raise OptionError(
                    f'timeout="{raw["timeout"]}" is over the ceiling of {max_timeout:g} seconds '
                    "(max-timeout in pyproject.toml): make the example faster"
                )
        try:
            hangs = parse_bool(str(raw.get("hangs", "no")), name="hangs")
        except ConfigError as error:
            raise OptionError(str(error)) from None
        if hangs and "timeout" not in raw:
            raise OptionError(
                'hangs="true" needs an explicit timeout="SECONDS": the build stops '
                "the example after that long and shows what it printed"
            )
        returncode = raw.get("returncode", 0)
        try:
            returncode = int(str(returncode).strip())
        except ValueError:
            raise OptionError(f'returncode="{returncode}" is not a whole number') from None
        versions = str(raw.get("versions", "")).strip()
        try:
            SpecifierSet(versions)
        except InvalidSpecifier:
            raise OptionError(
                f'versions="{versions}" is not a version specifier like ">=3.12"'
            ) from None
        reason = str(raw.get("reason", "")).strip()
        if versions and not reason:
            raise OptionError(f'versions="{versions}" needs reason="..." telling the reader why')
        if reason and not versions:
            raise OptionError('reason="..." explains versions="...": give both, or neither')
        width = int(_positive(raw["width"], "width", float)) if raw.get("width") else 80
        return cls(timeout, hangs, returncode, versions, reason, width)


def _positive(value: object, name: str, kind: type) -> float:
    try:
        number = kind(str(value).strip())
    except ValueError:
        number = -1.0
    if not (number > 0 and math.isfinite(number)):
        raise OptionError(f'{name}="{value}" is not a positive number')
    return number


def _tail(text: str) -> str:
    lines = text.rstrip("\n").splitlines()[-STDERR_TAIL_LINES:]
    return "\n".join("    " + line for line in lines) or "    (stderr is empty)"


def verdict(result: RunResult, options: RunOptions) -> str | None:
    """Why this run breaks its fence's promises, or None when it keeps them."""
    if result.timed_out and not options.hangs:
        return (
            f"timed out after {options.timeout:g} s; all its processes were killed. "
            f'Make it finish, raise the limit with timeout="SECONDS", or declare '
            f'hangs="true" if it is meant to hang.\nLast lines of stderr:\n' + _tail(result.stderr)
        )
    if options.hangs and not result.timed_out:
        return (
            f'is declared hangs="true" but exited with code {result.returncode} '
            f"after {result.seconds:.1f} s (timeout {options.timeout:g} s). "
            "Remove hangs, or make the example really hang."
        )
    if not result.timed_out and result.returncode != options.returncode:
        declared = (
            f'declared returncode="{options.returncode}"'
            if options.returncode
            else "no returncode declared"
        )
        return (
            f"exited with code {result.returncode} ({declared}). Fix the snippet, "
            f'or declare returncode="{result.returncode}" if the failure is the '
            f"point.\nLast lines of stderr:\n" + _tail(result.stderr)
        )
    return None
