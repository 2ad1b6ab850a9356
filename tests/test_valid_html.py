"""The built site passes the Nu HTML checker: no error from this project's markup.

The check is scripts/nu_check.py's (`make nu` runs it alone): errors from Material's
templates that overrides/ cannot fix are allowed there, each with its reason.
"""

from __future__ import annotations

import sys

from .browser.conftest import on_ci, unavailable
from .conftest import PROJECT

sys.path.insert(0, str(PROJECT.root / "scripts"))
import nu_check  # noqa: E402


def test_the_site_passes_the_nu_html_checker(built_site):
    try:
        found = nu_check.errors(built_site)
    except nu_check.CheckerMissing as missing:
        unavailable(str(missing), ci=on_ci())
    failing, allowed = nu_check.split(found)
    print("\n" + nu_check.report(failing, allowed))
    assert not failing, nu_check.report(failing, allowed)
