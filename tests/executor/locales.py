"""An ASCII locale for the executor's tests.

A module the tests import, not a conftest.py: `make mutation` runs them with --noconftest.
"""

from __future__ import annotations

import contextlib
import locale
import sys
from collections.abc import Iterator

import pytest


@contextlib.contextmanager
def switched_to_ascii_locale() -> Iterator[None]:
    """A machine whose locale encoding is ASCII (LANG=C, Python not in UTF-8 mode).

    What the executor reads and writes is UTF-8 whatever the locale: this is how
    a test shows it (an ``encoding=None`` would then fail on non-ASCII text).
    """
    if sys.flags.utf8_mode:
        pytest.skip("Python's UTF-8 mode ignores the locale")
    saved = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)


@pytest.fixture
def ascii_locale() -> Iterator[None]:
    with switched_to_ascii_locale():
        yield
