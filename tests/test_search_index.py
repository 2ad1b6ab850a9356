"""The search index every page downloads: a budget per post, and no outputs in it.

Material's search plugin writes search/search_index.json at build time, and every page
fetches it. Executed outputs are left out of it (render.py marks them
``data-search-exclude``): the index grows with the prose and the sources of a post, not
with what its examples print (a hanging example prints hundreds of lines).
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter

from .conftest import PROJECT

# The search index (search/search_index.json) is downloaded by every page. Each post's
# share of it, measured with outputs left out (9 posts, 29 November 2026): 17.5 to 36.1 KB
# (sharing-state-the-right-way, the most prose and source); with its outputs, the-main-guard
# alone took 168 KB (347 KB for the whole index of 8 posts, against 219 KB for 9 now). The
# pages that are not posts (home, tags, about, the blog's lists): 10 KB in all.
MAX_INDEX_KB_PER_POST = 45
MAX_INDEX_KB_OTHER_PAGES = 16


def index_by_page(site) -> Counter:
    """Bytes of the search index per page (its URL path), as the index file stores them."""
    docs = json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    sizes: Counter = Counter()
    for doc in docs:
        sizes[doc["location"].split("#")[0]] += len(json.dumps(doc, ensure_ascii=False).encode())
    return sizes


def post_paths(site) -> list[str]:
    return sorted(p.parent.relative_to(site).as_posix() + "/" for p in PROJECT.post_pages(site))


def test_search_index_stays_within_budget(built_site):
    sizes = index_by_page(built_site)
    posts = post_paths(built_site)
    assert posts and all(path in sizes for path in posts), "a post is missing from the index"
    table = "\n".join(f"  {size / 1000:6.1f} KB  {path or '(home)'}" for path, size in sorted(
        sizes.items(), key=lambda item: -item[1]))  # fmt: skip
    print(f"\nsearch index, {sum(sizes.values()) / 1000:.1f} KB:\n{table}")
    over = {p: sizes[p] for p in posts if sizes[p] > MAX_INDEX_KB_PER_POST * 1000}
    assert not over, f"posts over {MAX_INDEX_KB_PER_POST} KB of search index:\n{table}"
    others = sum(size for path, size in sizes.items() if path not in posts)
    assert others <= MAX_INDEX_KB_OTHER_PAGES * 1000, f"pages other than posts:\n{table}"


# The text of each output stream, as render.py writes it.
STREAM = re.compile(
    r'<div class="snippet-stream [^"]*" id="[^"]*" data-search-exclude>'
    r"(?:<span [^>]*>\w+</span>)?<pre><code>(.*?)</code></pre>",
    re.S,
)


def test_outputs_are_not_indexed_for_search(built_site):
    docs = json.loads((built_site / "search" / "search_index.json").read_text("utf-8"))["docs"]
    indexed = {}
    for doc in docs:
        path = doc["location"].split("#")[0]
        indexed[path] = indexed.get(path, "") + html.unescape(doc["text"])
    checked = 0
    for path in post_paths(built_site):
        page = (built_site / path / "index.html").read_text("utf-8")
        for text in STREAM.findall(page):
            lines = [line for line in html.unescape(text).splitlines() if line.strip()]
            if len(lines) < 2:  # one line may be quoted in the prose; two in a row are not
                continue
            checked += 1
            assert "\n".join(lines[:2]) not in indexed[path], f"{path}: indexed:\n{lines[:2]}"
    assert checked >= 10, f"only {checked} outputs of two lines or more found"
