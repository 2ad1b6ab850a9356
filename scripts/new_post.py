"""Start a post: a draft from templates/post.md and a snippet folder that passes.

Usage: make new-post SLUG=my-new-post   (or: python scripts/new_post.py my-new-post)

Writes docs/blog/posts/<slug>.md (a draft, shown by `make serve`, left out of
`make build`), snippets/<slug>/example.py and its expected output, run under
every interpreter found here, so `make test` passes from the first minute.
"""

from __future__ import annotations

import datetime
import re
import sys

from snippet_runner import expected, interpreters, results
from snippet_runner.checks import RunOptions
from snippet_runner.settings import PROJECT

TEMPLATES = PROJECT.root / "templates"


def main(argv: list[str]) -> int:
    slug = argv[0] if argv else ""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        print("usage: make new-post SLUG=lowercase-words-with-dashes", file=sys.stderr)
        return 2
    post = PROJECT.posts_dir / f"{slug}.md"
    folder = PROJECT.snippets_dir / slug
    if post.exists() or folder.exists():
        print(f"{PROJECT.rel(post)} or {PROJECT.rel(folder)}/ already exists", file=sys.stderr)
        return 1
    title = slug.replace("-", " ").capitalize()
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
    code = snippet.read_text(encoding="utf-8")
    runs = {
        i.minor: results.get(results.Job(code, snippet.name, RunOptions(), i))
        for i in interpreters.available()
    }
    expected.update(snippet, runs)
    post.write_text(text, encoding="utf-8")
    for path in (post, snippet, *sorted(folder.glob("example.*std*"))):
        print(f"created {PROJECT.rel(path)}")
    print("next: `make serve`, write, then `make update-examples` and `make test`")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
