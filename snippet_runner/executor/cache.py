"""Results on disk, so unchanged snippets never run again, across builds and reloads.

A result is stored under a key that covers everything that can change it (see
``runner.job_key``). An entry carries its own key and a checksum of its
content: a damaged, truncated or hand-edited entry is detected on read and
treated as absent, so the run happens again instead of a wrong output being
trusted. Nothing here decides *what* may be stored: the runner stores only
runs that kept their promises.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from .atomic import replace_file
from .process import RunResult

_FIELDS = {f.name: f.type for f in dataclasses.fields(RunResult)}


def _checksum(key: str, result: dict) -> str:
    return hashlib.sha256(json.dumps([key, result], sort_keys=True).encode()).hexdigest()


class Cache:
    """A folder of ``<key[:2]>/<key>.json`` entries."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def load(self, key: str) -> RunResult | None:
        """The stored result, or None when absent, unreadable or not what was stored."""
        try:
            entry = json.loads(self.path(key).read_text(encoding="utf-8"))
            result = entry["result"]
            if entry["key"] != key or entry["checksum"] != _checksum(key, result):
                return None
            if set(result) != set(_FIELDS):
                return None
            loaded = RunResult(**result)
        except (OSError, ValueError, TypeError, KeyError):
            return None
        return loaded if _well_typed(loaded) else None

    def store(self, key: str, result: RunResult) -> str | None:
        """Store a result; returns why it could not be stored (a read-only folder), or None."""
        path = self.path(key)
        data = dataclasses.asdict(result)
        entry = {"key": key, "checksum": _checksum(key, data), "result": data}
        try:
            replace_file(path, lambda file: json.dump(entry, file))
        except OSError as error:
            return f"cannot write the cache in {self.root} ({error.strerror}); results are not kept"
        return None


def _well_typed(result: RunResult) -> bool:
    return (
        isinstance(result.stdout, str)
        and isinstance(result.stderr, str)
        and (result.returncode is None or type(result.returncode) is int)
        and type(result.timed_out) is bool
        and isinstance(result.seconds, int | float)
        and isinstance(result.timeout, int | float)
        and isinstance(result.cpu_seconds, int | float)
        and not isinstance(result.cpu_seconds, bool)
    )
