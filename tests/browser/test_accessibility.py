"""axe-core finds no serious or critical violation on any kind of page.

Every kind of page the site has (home, each published post, the blog index, the
archive, a category, the tags, the author, about, 404), in the light and the dark
palette, on a desktop and on a phone (the ``width`` fixture). axe-core is the current
release from npm (`make axe-core`), run in the page as it is, after Material's scripts.
"""

from __future__ import annotations

import pytest

from .conftest import archive_of, category_of, page_of, published_posts

BLOCKING = {"serious", "critical"}
PALETTE = {"light": "default", "dark": "slate"}  # Material's scheme for each

#: Each kind of page, by how its path is found in the built site.
PAGES = {
    "home": lambda site: "",
    "blog-index": lambda site: "blog/",
    "archive": archive_of,
    "category": category_of,
    "tags": lambda site: "tags/",
    "author": lambda site: "blog/author/editors/",
    "about": lambda site: "about/",
    "404": lambda site: "404.html",
    **{
        f"post-{p.slug}": (lambda site, slug=p.slug: page_of(site, slug)) for p in published_posts()
    },
}

# Code blocks and outputs out of sight are not rendered (content-visibility: auto in
# extra.css); a reader sees each of them rendered, as it comes on screen, and that is what
# axe must check (of a skipped block, it reads the styles of before a palette switch).
# Every block rendered, then two frames for the resize observers (tabindex of wide code).
RENDER_ALL = """async () => {
    const style = document.createElement("style");
    style.textContent = "* { content-visibility: visible !important; }";
    document.head.append(style);
    for (let n = 0; n < 2; n++) await new Promise((done) => requestAnimationFrame(done));
}"""

RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations;
}"""


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


@pytest.mark.parametrize("which", PAGES)
def test_no_serious_accessibility_violation(
    axe_source, axe_version, page, built_site, which, width
):
    """Light palette first (a first visit; the system preference is light), then dark,
    switched with the page's own toggle: one load of the page for both palettes.

    axe-core comes first among the arguments: without it, the test stops (skip, or fail
    under CI) before Chromium starts and the site is built."""
    response = page.goto(PAGES[which](built_site))
    assert response.ok, f"{which}: HTTP {response.status}"
    page.evaluate(axe_source)
    page.evaluate(RENDER_ALL)
    failures = []
    for palette, scheme in PALETTE.items():
        if palette == "dark":
            page.get_by_title("Switch to dark mode").click()
        assert page.locator("body").get_attribute("data-md-color-scheme") == scheme
        found = page.evaluate(RUN_AXE)
        where = f"axe-core {axe_version} on {which} ({palette} palette, {width} px)"
        blocking = [v for v in found if v["impact"] in BLOCKING]
        minor = [v for v in found if v not in blocking]
        if minor:
            print(f"\n{where}, below serious (not failing the test):\n{report(minor)}")
        if blocking:
            failures.append(f"{where}:\n{report(blocking)}")
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
