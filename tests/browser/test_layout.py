"""What a reader sees of the outputs, measured on the page: on a desktop and on a phone.

Each test runs at 1280 and 390 px (the ``width`` fixture). The geometry is read from
the browser (boxes of elements, and of lines of text through DOM ranges), so a change
of stylesheet that brings a problem back fails here, whatever the markup.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..conftest import PROJECT
from .conftest import POST, page_of, published_posts

# The boxes of a frame's copy buttons, and of what they must leave readable: the first
# line of the output each one copies (its visible part) and the frame's title.
COPY_BUTTON_OVERLAPS = """frame => {
    const area = (a, b) => Math.max(0, Math.min(a.right, b.right) - Math.max(a.left, b.left))
        * Math.max(0, Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
    const textBox = (node, end) => {
        const range = document.createRange();
        range.setStart(node, 0);
        range.setEnd(node, end);
        return range.getBoundingClientRect();
    };
    const label = frame.querySelector(".snippet-output-label");
    const title = textBox(label.firstChild, label.textContent.length);
    const found = [];
    for (const nav of frame.querySelectorAll(".md-code__nav")) {
        const button = nav.getBoundingClientRect();
        const code = nav.parentElement.querySelector("code");
        const text = code.firstChild;
        const newline = text.textContent.indexOf("\\n");
        const line = textBox(text, newline < 0 ? text.textContent.length : newline);
        const seen = code.getBoundingClientRect();  // the line scrolls inside its box
        const visible = new DOMRect(line.left, line.top,
            Math.max(0, Math.min(line.right, seen.right) - line.left), line.height);
        if (area(button, visible) > 0 || area(button, title) > 0) {
            found.push(`${label.textContent}: button ${JSON.stringify(button)} over `
                + `line ${JSON.stringify(visible)} or title ${JSON.stringify(title)}`);
        }
    }
    return found;
}"""


def pages_with(site: Path, marker: str) -> list[Path]:
    return sorted(p for p in PROJECT.post_pages(site) if marker in p.read_text("utf-8"))


def url(site: Path, index: Path) -> str:
    return index.parent.relative_to(site).as_posix() + "/"


def most_tabs(site: Path) -> Path:
    """The post with the tab set of the most versions (the hardest to fit on a phone)."""
    posts = pages_with(site, "snippet-versions-tabs")
    if not posts:
        pytest.skip("no page has output tabs per CPython version (all printed the same)")

    def widest(page: Path) -> int:
        sets = page.read_text("utf-8").split('class="tabbed-set tabbed-alternate snippet-')[1:]
        return max(part.split("</label></div>")[0].count("<label ") for part in sets)

    return max(posts, key=widest)


def test_copy_buttons_never_cover_an_output_or_its_title(page, built_site, width):
    # A post with version tabs (each tab's output is checked as it is shown) and one with
    # stdout and stderr in one frame (a button per stream). Material adds the buttons of
    # a block when it comes into view (content.lazy): each frame is brought into view.
    pages = {most_tabs(built_site), *pages_with(built_site, "snippet-stream--named")[:1]}
    checked = 0
    for index in sorted(pages):
        page.goto(url(built_site, index))
        frames = page.locator(".snippet-output")
        for n in range(frames.count()):
            frame = frames.nth(n)
            tab = frame.locator("xpath=ancestor::div[contains(@class,'tabbed-block')][1]")
            if tab.count():  # open its tab first
                number = tab.evaluate("e => [...e.parentElement.children].indexOf(e)")
                labels = tab.locator("xpath=../../div[contains(@class,'tabbed-labels')]/label")
                labels.nth(number).click()
            # A folded output has no copy button (render.py): the other streams have one.
            for pre in frame.locator("pre:not(.no-copy pre)").all():
                pre.scroll_into_view_if_needed()
                expect(pre.locator(".md-code__nav")).to_have_count(1)
                checked += 1
            found = frame.evaluate(COPY_BUTTON_OVERLAPS)
            assert not found, f"{index.parent.name} at {width} px:\n" + "\n".join(found)
    assert checked >= 3, f"only {checked} copy buttons checked"


def test_every_version_tab_is_in_sight_and_opens_its_output(page, built_site, width):
    page.goto(url(built_site, most_tabs(built_site)))
    viewport = page.viewport_size["width"]
    for tabs in page.locator(".snippet-versions-tabs").all():
        row = tabs.locator(":scope > .tabbed-labels")
        hidden = row.evaluate("e => e.scrollWidth - e.clientWidth")
        assert hidden <= 1, f"{hidden} px of version tabs scroll out of sight at {width} px"
        labels = row.locator(":scope > label")
        for n in range(labels.count()):
            box = labels.nth(n).bounding_box()
            name = labels.nth(n).text_content()
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport, f"{name!r}: {box}"
            labels.nth(n).click()
            shown = tabs.locator(":scope > .tabbed-content > .tabbed-block").nth(n)
            expect(shown).to_be_visible()
            version = name.replace("CPython", "").strip()
            expect(shown.locator(".snippet-output-label")).to_contain_text(version)


def test_version_tabs_do_not_look_like_links(page, built_site, width):
    page.goto(url(built_site, most_tabs(built_site)))
    link = page.locator(".md-content p a:not([class])").first
    link_color = link.evaluate("e => getComputedStyle(e).color")
    for label in page.locator(".snippet-versions-tabs > .tabbed-labels > label").all():
        for element in (label, *label.locator("a").all()):
            style = element.evaluate(
                "e => [getComputedStyle(e).textDecorationLine, getComputedStyle(e).color]"
            )
            assert style[0] == "none", f"{label.text_content()!r} is underlined: {style}"
            assert style[1] != link_color, f"{label.text_content()!r} has the links' colour"


def test_download_line_has_no_separator_to_leave_dangling(page, built_site, width):
    page.goto(page_of(built_site, POST))
    lines = page.locator(".snippet-links")
    assert lines.count() > 0
    for line in lines.all():
        text = line.text_content()  # what ::before draws is checked below
        assert not re.search(r"[·|•/]\s*$|^\s*[·|•]", text, re.M), repr(text)
        before = (
            line.locator("span").nth(1).evaluate("e => getComputedStyle(e, '::before').content")
        )
        assert before in ("none", "normal"), f"a separator drawn before a link: {before}"
        links = line.locator("a")
        boxes = [links.nth(n).bounding_box() for n in range(links.count())]
        for a, b in zip(boxes, boxes[1:]):
            apart = b["y"] >= a["y"] + a["height"] or b["x"] >= a["x"] + a["width"]
            assert apart, f"links overlap: {boxes}"


TITLE_GAP = """h => {
    const range = document.createRange();
    range.selectNodeContents(h);
    const link = h.querySelector(".headerlink");
    if (link) range.setEndBefore(link);
    const style = getComputedStyle(h);
    const content = h.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    // In lines: the text's box leaves out the half-leading above and below it.
    return (content - range.getBoundingClientRect().height) / parseFloat(style.lineHeight);
}"""


def test_no_empty_line_under_a_post_title(page, built_site, width):
    # Where a title's last word ends near the right edge, a hidden "¶" after it used to
    # wrap onto a line of its own: every post's title is measured.
    gaps = {}
    for post in published_posts():
        page.goto(page_of(built_site, post.slug))
        gaps[post.title] = page.locator("article h1").first.evaluate(TITLE_GAP)
    wide = {title: f"{gap:.1f} lines" for title, gap in gaps.items() if gap >= 0.5}
    assert not wide, f"space under these titles at {width} px: {wide}"


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_outputs_stand_apart_from_sources(page, built_site, color_scheme, width):
    page.goto(page_of(built_site, POST))
    source = page.locator(".highlight pre > code").first
    frame = page.locator(".snippet-output").first
    title = frame.locator(".snippet-output-label")
    expect(title).to_be_visible()
    expect(title).to_have_text(re.compile(r"^Output · CPython 3\.\d+"))
    source_bg = source.evaluate("e => getComputedStyle(e).backgroundColor")
    frame_style = frame.evaluate(
        "e => { const s = getComputedStyle(e); "
        "return [s.backgroundColor, s.borderLeftWidth, s.borderLeftColor]; }"
    )
    assert frame_style[0] != source_bg, f"output and source share a background: {source_bg}"
    assert luminance_ratio(frame_style[0], source_bg) >= 1.3, (frame_style[0], source_bg)
    assert float(frame_style[1].removesuffix("px")) >= 3, f"no coloured edge: {frame_style}"
    assert frame_style[2] != frame_style[0], f"the edge has the frame's colour: {frame_style}"


def luminance_ratio(first: str, second: str) -> float:
    """WCAG's contrast ratio of two CSS rgb() colours."""

    def luminance(css: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Every code block that scrolls sideways, brought into view one after the other (Material
# sets a block up as it comes into view, and on a phone removes its tabindex then).
UNREACHABLE_SCROLLING_BLOCKS = """async () => {
    const blocks = [...document.querySelectorAll("pre > code")];
    for (const code of blocks) {
        code.scrollIntoView();
        await new Promise((done) => setTimeout(done, 150));
    }
    await new Promise((done) => setTimeout(done, 300));
    return blocks
        .filter((code) => code.scrollWidth > code.clientWidth)
        .filter((code) => code.getAttribute("tabindex") !== "0")
        .map((code) => code.textContent.slice(0, 60));
}"""


def test_a_keyboard_reaches_every_block_that_scrolls(page, built_site, width):
    # axe checks a page as it loads; a block set up later (scrolled to) must keep its tabindex.
    page.goto(page_of(built_site, POST))
    page.wait_for_load_state("networkidle")
    wide = page.evaluate(
        "() => [...document.querySelectorAll('pre > code')]"
        ".filter((code) => code.scrollWidth > code.clientWidth).length"
    )
    if width < 1000:
        assert wide > 0, f"{POST} has no block that scrolls on a phone: the test checks nothing"
    assert page.evaluate(UNREACHABLE_SCROLLING_BLOCKS) == []
