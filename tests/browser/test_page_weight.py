"""What a first-time reader downloads: requests and bytes, against a budget."""

from __future__ import annotations

import pytest

from .conftest import POST, page_of

# Measured on caution-with-classes (8 posts, Material 9.8.2, served uncompressed by the
# test server): 11 requests, 767 KB when every output was in the search index (347 KB of
# index); 591 KB with outputs left out of it (161 KB of index). The budgets are about 20%
# above that.
MAX_REQUESTS = 14
MAX_KILOBYTES = 720

# Resource Timing: every request of the page and its workers' scripts, with the bytes that
# crossed the network (0 when the browser's cache answered).
LOADED = """[...performance.getEntriesByType("navigation"),
             ...performance.getEntriesByType("resource")].map(e => [e.name, e.transferSize])"""


@pytest.mark.parametrize("width", [1280], ids=["desktop"])  # the same bytes on a phone
def test_first_visit_to_a_post_stays_within_budget(page, built_site, width):
    page.goto(page_of(built_site, POST), wait_until="networkidle")  # a fresh context: no cache
    loaded = sorted(page.evaluate(LOADED), key=lambda entry: -entry[1])
    kilobytes = sum(size for _, size in loaded) / 1000
    measured = (
        f"first visit to {POST}: {len(loaded)} requests, {kilobytes:,.0f} KB transferred "
        f"(budget: {MAX_REQUESTS} requests, {MAX_KILOBYTES:,} KB)\n"
        + "\n".join(f"  {size / 1000:7,.1f} KB  {url}" for url, size in loaded)
    )
    print("\n" + measured)
    assert len(loaded) <= MAX_REQUESTS, measured
    assert kilobytes <= MAX_KILOBYTES, measured
