"""Replace a file as a whole: a reader, or a build stopped half-way, never sees half of it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def replace_file(path: Path, write: Callable[[IO], None], *, binary: bool = False) -> None:
    """Make ``path`` hold what ``write`` writes into the open file it is given.

    The text goes to a temporary file in the same folder (UTF-8, or bytes with
    ``binary``), which is then renamed over ``path``. Raises OSError (nothing is
    left behind: the temporary file is removed, the old ``path`` stays as it was).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        mode = {"mode": "wb"} if binary else {"mode": "w", "encoding": "utf-8"}
        with os.fdopen(fd, **mode) as file:
            write(file)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
