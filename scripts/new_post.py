"""Start a post: a draft from templates/post.md and a snippet folder that passes.

Usage: make new-post SLUG=my-new-post TITLE="My new post"
   (or: python scripts/new_post.py my-new-post --title "My new post")

Writes docs/blog/posts/<slug>.md (a draft, shown by `make serve`, left out of
`make build`), snippets/<slug>/example.py and its expected output, run under
every interpreter found here, so `make test` passes from the first minute.
"""

from __future__ import annotations

import datetime
import re
import sys

from snippet_runner.blog.build import Build
from snippet_runner.devtools import PROJECT_ROOT

TEMPLATES = PROJECT_ROOT / "templates"


def main(argv: list[str]) -> int:
    slug = argv[0] if argv else ""
    title = argv[argv.index("--title") + 1] if "--title" in argv[:-1] else ""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        print("usage: make new-post SLUG=lowercase-words-with-dashes", file=sys.stderr)
        return 2
    build = Build.for_site(PROJECT_ROOT / "mkdocs.yml")
    layout = build.layout
    post = layout.posts_dir / f"{slug}.md"
    folder = layout.snippets_dir / slug
    if post.exists() or folder.exists():
        print(f"{layout.rel(post)} or {layout.rel(folder)}/ already exists", file=sys.stderr)
        return 1
    # The slug's words as a placeholder title; the front-matter test fails until it is replaced.
    title = title or "TODO: " + slug.replace("-", " ")
    text = (TEMPLATES / "post.md").read_text(encoding="utf-8")
    for key, value in {
        "date": datetime.date.today().isoformat(),
        "slug": slug,
        "title": title,
    }.items():
        text = text.replace("{" + key + "}", value)
    folder.mkdir(parents=True)
    snippet = folder / "example.py"
    snippet.write_text((TEMPLATES / "example.py").read_text(encoding="utf-8"), encoding="utf-8")
    build.record(snippet, build.options({}))
    build.finish()
    post.write_text(text, encoding="utf-8")
    for path in (post, snippet, *sorted(folder.glob("example.*std*"))):
        print(f"created {layout.rel(path)}")
    print(f"next: `make serve`, write, then `make update-examples SLUG={slug}` and `make test`")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
