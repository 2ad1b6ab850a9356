"""axe-core finds no serious or critical violation, in the light and the dark palette."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import POST, archive_of, page_of

BLOCKING = {"serious", "critical"}
PALETTE = {"light": "default", "dark": "slate"}  # system preference -> Material's scheme


def report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"  - {', '.join(map(str, node['target']))}")
            lines.append("    " + node["failureSummary"].replace("\n", "\n    "))
        if len(violation["nodes"]) > 5:
            lines.append(f"  ... and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


@pytest.mark.parametrize("color_scheme", PALETTE)
@pytest.mark.parametrize("which", ["home", "post", "archive"])
def test_no_serious_accessibility_violation(page, built_site, which, color_scheme):
    path = {"home": "", "post": page_of(built_site, POST), "archive": archive_of(built_site)}
    page.goto(path[which])
    # The palette follows the system preference: make sure it is the one meant.
    assert page.locator("body").get_attribute("data-md-color-scheme") == PALETTE[color_scheme]
    violations = Axe().run(page).response["violations"]
    where = f"axe on {which} ({color_scheme} palette)"
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    minor = [v for v in violations if v not in blocking]
    if minor:
        print(f"\n{where}, below serious (not failing the test):\n{report(minor)}")
    if blocking:
        pytest.fail(f"{where}:\n{report(blocking)}", pytrace=False)
