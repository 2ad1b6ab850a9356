"""Block options added by this project, and the verdict on a finished run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from . import settings
from .process import RunResult

#: Fence options this project adds to markdown-exec's own.
OPTIONS = ("timeout", "hangs", "versions", "reason")


class OptionError(ValueError):
    """A fence option that cannot be used as written."""


@dataclass(frozen=True)
class RunOptions:
    timeout: float = settings.DEFAULT_TIMEOUT
    hangs: bool = False
    returncode: int = 0
    versions: str = ""  # a version specifier such as ">=3.12"; empty means all
    reason: str = ""  # why the block is restricted, shown to the reader

    def runs_on(self, version: str) -> bool:
        return not self.versions or SpecifierSet(self.versions).contains(version)

    @classmethod
    def parse(cls, raw: Mapping[str, str], returncode: int = 0) -> RunOptions:
        """Read ``timeout="SECONDS"`` and ``hangs="true"`` from a fence."""
        timeout = settings.DEFAULT_TIMEOUT
        if "timeout" in raw:
            try:
                timeout = float(raw["timeout"])
            except ValueError:
                timeout = -1.0
            if not timeout > 0:
                raise OptionError(f'timeout="{raw["timeout"]}" is not a positive number of seconds')
        hangs = str(raw.get("hangs", "no")).lower() not in {"", "no", "off", "false", "0"}
        if hangs and "timeout" not in raw:
            raise OptionError(
                'hangs="true" needs an explicit timeout="SECONDS": the build stops '
                "the example after that long and shows what it printed"
            )
        versions = raw.get("versions", "").strip()
        try:
            SpecifierSet(versions)
        except InvalidSpecifier:
            raise OptionError(
                f'versions="{versions}" is not a version specifier like ">=3.12"'
            ) from None
        if versions and not raw.get("reason", "").strip():
            raise OptionError(f'versions="{versions}" needs reason="..." telling the reader why')
        return cls(
            timeout=timeout,
            hangs=hangs,
            returncode=int(returncode),
            versions=versions,
            reason=raw.get("reason", "").strip(),
        )


def _tail(text: str) -> str:
    lines = text.rstrip("\n").splitlines()[-settings.STDERR_TAIL_LINES :]
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
