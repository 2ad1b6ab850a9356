"""Run one script in a fresh interpreter, in a process group of its own.

The script runs as ``python <name>.py`` from a private temporary directory,
exactly as a reader would run it: ``__name__ == "__main__"``, its own start
method, its own children. Whatever happens, the whole process group is killed
before this returns, so no worker outlives the build.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import settings


@dataclass(frozen=True)
class RunResult:
    """What one run of a script produced."""

    stdout: str
    stderr: str
    returncode: int | None  # None when the run was stopped by its timeout
    timed_out: bool
    seconds: float
    timeout: float


class _CappedReader(threading.Thread):
    """Drain a pipe to its end, keeping at most ``limit`` bytes of it."""

    def __init__(self, stream, limit: int) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.limit = limit
        self.kept = bytearray()
        self.total = 0

    def run(self) -> None:
        while chunk := self.stream.read1(65536):
            self.total += len(chunk)
            room = self.limit - len(self.kept)
            if room > 0:
                self.kept += chunk[:room]
        self.stream.close()

    def text(self, stopped: bool = False) -> str:
        kept = bytes(self.kept)
        if stopped and kept and not kept.endswith(b"\n"):
            # A run killed mid-line: end the cut line, so `...` lines can match it.
            kept += b"\n"
        if self.total > len(kept):
            # Cut at a line end, so the page never shows half a line.
            cut = kept.rfind(b"\n") + 1 or len(kept)
            kept = kept[:cut]
            note = (
                f"[output cut by the build: {self.total:,} bytes in all, "
                f"the first {len(kept):,} shown]\n"
            )
            return _decode(kept) + note
        return _decode(kept)


def _decode(data: bytes) -> str:
    # Bytes that are not UTF-8 are shown as \xNN escapes instead of failing the build.
    return data.decode("utf-8", errors="backslashreplace")


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(pgid, signal.SIGKILL)


def run_script(
    code: str,
    *,
    name: str = "snippet.py",
    timeout: float = settings.DEFAULT_TIMEOUT,
    python: str | None = None,
    limit: int = settings.OUTPUT_LIMIT,
) -> RunResult:
    """Run ``code`` as the script ``name`` and return its output.

    The script, its workers and anything they start share one new process
    group; it is killed with SIGKILL when the script exits or its time is up.
    """
    python = python or sys.executable
    tmpdir = tempfile.mkdtemp(prefix="snippet-")
    try:
        script = Path(tmpdir, name)
        script.write_text(code, encoding="utf-8")
        start = time.monotonic()
        proc = subprocess.Popen(
            [python, name],
            cwd=tmpdir,
            env=settings.run_environment(tmpdir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, killed as a whole
        )
        readers = [_CappedReader(proc.stdout, limit), _CappedReader(proc.stderr, limit)]
        for reader in readers:
            reader.start()
        timed_out = False
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out = True
        finally:
            # Also after a clean exit: daemon workers or grandchildren that
            # hold the pipes open must not survive the run.
            _kill_group(proc.pid)
            proc.wait()
        seconds = time.monotonic() - start
        for reader in readers:
            # A process that left the group (setsid) may still hold a pipe.
            reader.join(timeout=5)
        return RunResult(
            stdout=readers[0].text(stopped=timed_out),
            stderr=readers[1].text(stopped=timed_out),
            returncode=None if timed_out else proc.returncode,
            timed_out=timed_out,
            seconds=seconds,
            timeout=timeout,
        )
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
