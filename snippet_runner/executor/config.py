"""The executor's settings, read once from pyproject.toml and the environment into one object.

``[tool.snippet-runner]`` in the project's pyproject.toml holds what a project
decides (the interpreters, limits, the cache folder); ``SNIPPET_*`` environment
variables hold what one build decides (CI, a benchmark, an author's shell).
Nothing here is read at import time: a build calls :meth:`Config.load` once.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import tomllib

_TRUE = {"1", "on", "yes", "true"}
_FALSE = {"0", "off", "no", "false", ""}


def is_on(value: object) -> bool:
    """markdown-exec's reading of a fence switch (``exec``, ``html``...): anything that is
    not one of the off words is on. Settings use the stricter :func:`parse_bool`."""
    return str(value).strip().lower() not in _FALSE


#: What a project without a [tool.snippet-runner] table gets.
DEFAULTS: dict[str, object] = {
    "pythons": ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"],
    "timeout": 60,
    "max-timeout": 600,
    "jobs": 0,
    "max-jobs": 32,
    "cache-dir": ".cache/snippet-runner",
    "rootfs": "~/.cache/pickled-state/debian-sid",
    "memory-mb": 2048,
    "cpu-seconds": 300,
    "output-limit": 64 * 1024,
    "fold-lines": 60,
}


class ConfigError(ValueError):
    """A setting that cannot be used as written (the message names it and the fix)."""


def parse_bool(value: str, *, name: str) -> bool:
    """The one reader of on/off switches: ``1 on yes true`` and ``0 off no false`` (any case).

    Anything else is an error, so ``SNIPPET_PYTHONS_REQUIRED=of`` cannot silently
    mean the opposite of what was meant.
    """
    word = str(value).strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ConfigError(
        f'{name}="{value}" is not a switch: write one of on/off, yes/no, true/false, 1/0'
    )


@dataclass(frozen=True)
class Config:
    """Everything the executor needs to know, for one build."""

    root: Path
    pythons: tuple[str, ...] = tuple(DEFAULTS["pythons"])  # "3.13" or "3.13.18" (at least)
    timeout: float = 60.0  # seconds a block may run when its fence sets none
    max_timeout: float = 600.0  # no fence may ask for more
    jobs: int = 1  # runs started at once without looking (one per CPU by default)
    max_jobs: int = 32  # more, up to this many, while the CPUs are idle (0: exactly `jobs`)
    cache_dir: Path = Path(".cache/snippet-runner")
    rootfs: Path = Path(str(DEFAULTS["rootfs"]))  # load() expands ~, not the import
    memory_mb: int = 2048  # address-space limit of each process of a run
    cpu_seconds: int = 300  # CPU-time limit of each process of a run
    output_limit: int = 64 * 1024  # bytes of each stream kept for the page
    fold_lines: int = 60  # longer outputs show their first and last lines, the rest folded
    execute: bool = True  # SNIPPET_EXECUTE=off: show sources only (benchmark baseline)
    cache: bool = True  # SNIPPET_CACHE=off: run everything again
    required: bool = False  # SNIPPET_PYTHONS_REQUIRED / CI: a missing interpreter or sandbox fails
    sandbox: str = "auto"  # SNIPPET_SANDBOX=auto|on|off
    failures_file: str = ""  # SNIPPET_FAILURES_FILE: failed blocks as JSON lines (Zensical)
    environ: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, root: Path, environ: Mapping[str, str] | None = None) -> Config:
        """Read ``root/pyproject.toml`` (if it has our table) and the ``SNIPPET_*`` variables."""
        env = dict(os.environ if environ is None else environ)
        ours = dict(DEFAULTS)
        pyproject = root / "pyproject.toml"
        if pyproject.is_file():
            try:
                table = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
                raise ConfigError(f"{pyproject}: {error}") from None
            own = table.get("tool", {}).get("snippet-runner", {})
            unknown = set(own) - set(DEFAULTS)
            if unknown:
                raise ConfigError(
                    f"{pyproject}: [tool.snippet-runner] has unknown keys {sorted(unknown)}; "
                    f"known: {sorted(DEFAULTS)}"
                )
            ours.update(own)
        pythons = env.get("SNIPPET_PYTHONS", "").replace(",", " ").split() or ours["pythons"]

        def setting(key: str, kind: type) -> int | float:
            # A bad value names the file and the table it was written in.
            return _number(ours[key], f"{pyproject}: [tool.snippet-runner] {key}", kind)

        given_jobs = env.get("SNIPPET_JOBS")
        jobs = _number(given_jobs, "SNIPPET_JOBS", int) if given_jobs else setting("jobs", int)
        # An explicit number of jobs is obeyed exactly: no runs beyond it.
        max_jobs = 0 if jobs else setting("max-jobs", int)
        required = parse_bool(
            env.get("SNIPPET_PYTHONS_REQUIRED", ""), name="SNIPPET_PYTHONS_REQUIRED"
        )
        sandbox = env.get("SNIPPET_SANDBOX", "auto").strip().lower() or "auto"
        if sandbox not in {"auto", "on", "off"}:
            raise ConfigError(f'SNIPPET_SANDBOX="{sandbox}": write auto, on or off')
        cache_dir = Path(env.get("SNIPPET_CACHE_DIR") or ours["cache-dir"]).expanduser()
        return cls(
            root=root,
            pythons=tuple(str(p) for p in pythons),
            timeout=setting("timeout", float),
            max_timeout=setting("max-timeout", float),
            jobs=jobs or os.cpu_count() or 1,
            max_jobs=max_jobs,
            cache_dir=cache_dir if cache_dir.is_absolute() else root / cache_dir,
            rootfs=Path(env.get("SNIPPET_ROOTFS") or str(ours["rootfs"])).expanduser(),
            memory_mb=setting("memory-mb", int),
            cpu_seconds=setting("cpu-seconds", int),
            output_limit=setting("output-limit", int),
            fold_lines=setting("fold-lines", int),
            execute=parse_bool(env.get("SNIPPET_EXECUTE", "on"), name="SNIPPET_EXECUTE"),
            cache=parse_bool(env.get("SNIPPET_CACHE", "on"), name="SNIPPET_CACHE"),
            required=required or env.get("CI", "").strip().lower() in _TRUE,
            sandbox=sandbox,
            failures_file=env.get("SNIPPET_FAILURES_FILE", ""),
            environ=env,
        )

    def but(self, **changes: object) -> Config:
        """A copy with some settings changed (tests, the benchmark)."""
        return replace(self, **changes)


def _number(value: object, name: str, kind: type) -> int | float:
    try:
        number = kind(value)
    except OverflowError:  # int(inf)
        raise ConfigError(f"{name} = {value!r} must be a finite number >= 0") from None
    except (TypeError, ValueError):
        raise ConfigError(f"{name} = {value!r} is not a number") from None
    if not number >= 0 or number == float("inf"):
        raise ConfigError(f"{name} = {value!r} must be a finite number >= 0")
    return number
