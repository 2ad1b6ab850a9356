"""The blog's Markdown side, in-process and fast: a Markdown instance configured like
mkdocs.yml (markdown-exec's ``md`` fixture style), a real Build, real runs."""

from __future__ import annotations

import logging
import os
import re
import textwrap
from pathlib import Path

import markdown
import pytest
from markdown.treeprocessors import Treeprocessor

from snippet_runner.blog import fence, posts
from snippet_runner.blog.build import Build
from snippet_runner.blog.extension import EXCERPT, SnippetExtension
from snippet_runner.blog.layout import Layout
from snippet_runner.executor.config import Config

from ..conftest import THIS_PYTHON

SERIES = """\
site_name: mini
extra:
  series:
    name: The series
    posts: [one, two]
"""


class Site:
    def __init__(self, root: Path, config: str = "site_name: mini\n") -> None:
        self.root = root
        (root / "docs/blog/posts").mkdir(parents=True)
        (root / "snippets").mkdir()
        (root / "mkdocs.yml").write_text(config)
        self.env = {
            "PATH": os.environ["PATH"],
            "SNIPPET_PYTHONS": THIS_PYTHON,
            "SNIPPET_CACHE_DIR": str(root / "cache"),
        }

    def snippet(self, path: str, code: str, stdout: str | None = None) -> Path:
        file = self.root / "snippets" / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(code))
        if stdout is not None:
            file.with_suffix(".stdout").write_text(stdout)
        return file

    def post(self, slug: str, title: str, body: str = "") -> str:
        text = f"# {title}\n\n{textwrap.dedent(body)}"
        (self.root / f"docs/blog/posts/{slug}.md").write_text(text)
        return text

    def build(self, **env: str) -> Build:
        layout = Layout.load(self.root / "mkdocs.yml")
        return Build(layout, Config.load(self.root, {**self.env, **env}))

    def render(self, text: str, build: Build | None = None, excerpt: bool = False) -> str:
        custom = {"class": "python", "validator": fence.validator, "format": fence.formatter}
        md = markdown.Markdown(
            extensions=[
                SnippetExtension(build=build or self.build()),
                "admonition",
                "attr_list",
                "md_in_html",
                "pymdownx.snippets",
                "pymdownx.superfences",
                "pymdownx.tabbed",
            ],
            extension_configs={
                "pymdownx.snippets": {
                    "base_path": [str(self.root / "snippets")],
                    "check_paths": True,
                },
                "pymdownx.superfences": {
                    "custom_fences": [{"name": "python", **custom}, {"name": "py", **custom}]
                },
                "pymdownx.tabbed": {"alternate_style": True},
            },
        )
        if excerpt:  # what Material's blog registers on the instance that renders excerpts
            md.treeprocessors.register(Treeprocessor(md), EXCERPT, 0)
        return md.convert(text)


def block(path: str, options: str = "") -> str:
    return f'```python exec="on" {options}\n--8<-- "{path}"\n```\n\n'


@pytest.fixture
def site(tmp_path) -> Site:
    return Site(tmp_path)


def test_output_is_escaped_html_that_no_printed_line_can_end(site):
    code = 'print("````")\nprint("<script>alert(1)</script>")\nprint("**not bold**")\n'
    site.snippet("demo/evil.py", code, "````\n<script>alert(1)</script>\n**not bold**\n")
    html = site.render(site.post("demo", "Demo", block("demo/evil.py")))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "**not bold**" in html and "<strong>" not in html


def test_two_identical_blocks_on_a_page_get_distinct_ids(site):
    site.snippet("demo/hello.py", "print('hi')\n", "hi\n")
    html = site.render(site.post("demo", "Demo", block("demo/hello.py") * 2))
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) >= 2 and len(ids) == len(set(ids)), ids


def test_a_block_is_bound_to_its_file_by_the_include_line(site):
    # Same text in two posts' folders: each block links to (and is checked against) its own file.
    site.snippet("one/same.py", "print('same')\n", "same\n")
    site.snippet("two/same.py", "print('same')\n", "same\n")
    build = site.build()
    html = site.render(site.post("two", "Two", block("two/same.py")), build)
    assert 'href="/snippets/two/same.py"' in html and "/one/" not in html


def test_an_author_cannot_point_a_block_at_another_file(site):
    site.snippet("demo/shown.py", "print('shown')\n", "shown\n")
    site.snippet("demo/other.py", "print('other')\n", "other\n")
    text = block("demo/shown.py", 'snippet_file="demo/other.py"')
    html = site.render(site.post("demo", "Demo", text))
    assert "shown" in html and "other" not in html


def test_a_symlinked_snippet_is_refused(site, tmp_path, caplog):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.py"
    outside.write_text("print('from outside')\n")
    (site.root / "snippets/demo").mkdir(parents=True)
    (site.root / "snippets/demo/link.py").symlink_to(outside)
    with caplog.at_level(logging.WARNING):
        html = site.render(site.post("demo", "Demo", block("demo/link.py")))
    assert "symbolic link" in caplog.text and "from outside" not in html


@pytest.mark.parametrize("option", ['session="s"', 'workdir="/tmp"'])
def test_options_that_cannot_apply_fail_naming_the_snippet(site, option, caplog):
    site.snippet("demo/hello.py", "print('hi')\n", "hi\n")
    with caplog.at_level(logging.WARNING):
        site.render(site.post("demo", "Demo", block("demo/hello.py", option)))
    assert f"snippets/demo/hello.py: {option}" in caplog.text
    assert "does not apply here" in caplog.text


def test_an_exception_while_formatting_fails_the_block_loudly(site, caplog):
    hello = site.snippet("demo/hello.py", "print('hi')\n")
    hello.with_suffix(".stdout").write_bytes(b"caf\xe9\n")  # not UTF-8
    build = site.build()
    with caplog.at_level(logging.WARNING):
        html = site.render(site.post("demo", "Demo", block("demo/hello.py")), build)
    assert "snippets/demo/hello" in caplog.text
    assert build.failures and "snippet-error" in html and 'exec="on"' not in html


def test_the_series_box_and_the_reading_list(tmp_path):
    site = Site(tmp_path, SERIES)
    site.post("one", "Part one")
    site.post("two", "Part two")
    build = site.build()
    first = site.render("# Part one\n\nText.\n", build)
    assert "The series: part 1 of 2" in first and 'href="two.md"' in first
    last = site.render("# Part two\n\nText.\n", build)
    assert "part 2 of 2" in last and "Start again from" in last
    home = site.render("# Home\n\n<!-- series -->\n", build)
    assert re.search(r'<ol>\s*<li><a href="blog/posts/one.md">Part one</a>', home)
    assert "part 1 of" not in home


def test_versions_that_match_no_configured_interpreter_fail(site, caplog):
    site.snippet("demo/hello.py", "print('hi')\n", "hi\n")
    text = block("demo/hello.py", 'versions="<3.0" reason="never"')
    with caplog.at_level(logging.WARNING):
        site.render(site.post("demo", "Demo", text))
    assert 'versions="<3.0" matches none of the configured interpreters' in caplog.text


def test_a_failed_block_is_reported_once_however_often_it_renders(site, caplog):
    site.snippet("demo/bad.py", "raise SystemExit(3)\n", "")
    build = site.build()
    text = site.post("demo", "Demo", block("demo/bad.py"))
    with caplog.at_level(logging.WARNING):
        for _ in range(3):  # Material's blog renders a post again for its index pages
            site.render(text, build)
    assert caplog.text.count("exited with code 3") == 1


def test_a_run_that_did_not_match_is_not_cached(site):
    site.snippet("demo/drift.py", "print('new')\n", "old\n")
    text = site.post("demo", "Demo", block("demo/drift.py"))
    first = site.build()
    site.render(text, first)
    second = site.build()
    site.render(text, second)
    assert (first.runner.ran, second.runner.ran) == (1, 1), "a run that failed its check was kept"


def test_a_link_to_a_draft_fails_a_published_build(site, caplog):
    (site.root / "docs/blog/posts/later.md").write_text("---\ndraft: true\n---\n\n# Later\n")
    text = site.post("now", "Now", "Read [the next part](later.md).\n")
    build = site.build()
    with caplog.at_level(logging.WARNING):
        site.render(text, build)
    assert "'Now' links to later.md, a draft" in caplog.text
    caplog.clear()
    build.drafts_visible = True  # mkdocs serve shows drafts: the link works there
    with caplog.at_level(logging.WARNING):
        site.render(text, build)
    assert "draft" not in caplog.text


def test_prose_quotes_what_the_snippets_printed(site, caplog):
    code = "import sys\nprint('minor', sys.version_info[1])\nprint('slowdown: 12.5x')\n"
    site.snippet("demo/v.py", code, "minor ...\nslowdown: 12.5x\n")
    text = site.post(
        "demo",
        "Demo",
        block("demo/v.py")
        + "It was [[printed: demo/v.py | slowdown: ([\\d.]+)x]] times slower "
        + "on [[versions: demo/v.py | minor \\d+]].\n",
    )
    html = site.render(text)
    assert f"It was 12.5 times slower on CPython {THIS_PYTHON}." in html
    with caplog.at_level(logging.WARNING):
        site.render(site.post("bad", "Bad", "[[printed: demo/v.py | nowhere (\\d+)]]\n"))
    assert "[[printed: demo/v.py | nowhere (\\d+)]]: not in the output of CPython" in caplog.text


def test_quoted_numbers_that_differ_by_version_become_a_range():
    from snippet_runner.blog.quote import QuoteError, fill
    from snippet_runner.executor.interpreters import Interpreter

    def interpreter(patch: int, minor: int) -> Interpreter:
        return Interpreter((3, minor, patch), f"3.{minor}.{patch}", "CPython", "/p", "/", "x86_64")

    printed = {
        interpreter(1, 12): "x 21.5\n",
        interpreter(2, 13): "x 121\n",
        interpreter(3, 14): "x 70\n",
    }
    assert fill("[[printed: a/b.py | x ([\\d.]+)]]", lambda _: printed) == "21.5–121"
    assert fill("[[versions: a/b.py | x 1]]", lambda _: printed) == "CPython 3.13.2"
    assert fill("[[versions: a/b.py | x \\d]]", lambda _: printed) == "CPython 3.12.1–3.14.3"
    words = {interpreter(1, 12): "x a\n", interpreter(2, 13): "x b\n"}
    with pytest.raises(QuoteError, match=r"different values \['a', 'b'\]"):
        fill("[[printed: a/b.py | x (\\w)]]", lambda _: words)


def test_the_preview_shows_an_unrecorded_output_with_a_banner(site, caplog):
    site.snippet("demo/new.py", "print('fresh')\n")  # no expected file yet
    text = site.post("demo", "Demo", block("demo/new.py"))
    build = site.build()
    build.serving = True  # mkdocs serve
    with caplog.at_level(logging.INFO):
        html = site.render(text, build)
    assert "Not recorded yet" in html and "make update-examples SLUG=demo" in html
    assert "fresh" in html and "WARNING" not in caplog.text
    with caplog.at_level(logging.WARNING):
        site.render(text, site.build())  # a build: the same block fails
    assert "snippets/demo/new.stdout" in caplog.text


def test_posts_that_cannot_build_are_named_before_the_build(tmp_path):
    from snippet_runner.blog import posts

    site = Site(tmp_path, "site_name: mini\nplugins:\n  - blog\n")
    (site.root / "docs/blog/.authors.yml").write_text("authors:\n  editors:\n    name: E\n")
    (site.root / "docs/blog/posts/a.md").write_text("---\nauthors: [nobody]\n---\n\n# A\n")
    (site.root / "docs/blog/posts/b.md").write_text("---\n- a list\n---\n\n# B\n")
    (site.root / "docs/blog/posts/c.md").write_text("---\nauthors: [editors]\n---\n\n# C\n")
    found = posts.problems(Layout.load(site.root / "mkdocs.yml"))
    assert found == [
        "docs/blog/posts/a.md: author 'nobody' is not in docs/blog/.authors.yml (known: "
        "editors); add it there or sign `editors`",
        "docs/blog/posts/b.md: the front matter is not a mapping of `key: value` lines",
    ]


def test_a_block_for_versions_this_machine_lacks_says_it_was_not_run(site):
    site.snippet("demo/new.py", "print('new')\n", "new\n")
    text = block("demo/new.py", 'versions=">=3.99" reason="a future feature"')
    build = site.build(SNIPPET_PYTHONS=f"{THIS_PYTHON} 3.99")  # 3.99 configured, missing here
    html = site.render(site.post("demo", "Demo", text), build)
    assert "Not run in this build: it needs CPython &gt;=3.99 (a future feature)" in html
    assert not build.failures


@pytest.mark.parametrize(("jobs", "expected"), [("", (os.cpu_count() or 1, 32)), ("2", (2, None))])
def test_runs_go_beyond_one_per_cpu_only_when_jobs_are_not_given(site, jobs, expected):
    build = site.build(SNIPPET_JOBS=jobs)
    calls = []

    def run_all(jobs, workers, progress, *, up_to=None):  # noqa: ARG001
        calls.append((workers, up_to))
        return 0

    build.runner.run_all = run_all
    build.run([])
    assert calls == [expected]


# -- excerpts ----------------------------------------------------------------------

POST_WITH_EXCERPT = """\
The excerpt links to [the docs][docs] and says *[GIL]* once.

```python
<!-- more -->
```

<!-- more -->

## After the excerpt

{blocks}

[docs]: https://docs.python.org/3/
*[GIL]: global interpreter lock
"""


def test_excerpt_source_keeps_what_the_excerpt_uses():
    lines = POST_WITH_EXCERPT.format(blocks="text").split("\n")
    cut = posts.excerpt_source(lines, "<!-- more -->")
    assert cut == [
        *lines[:7],  # up to the separator that is not inside a code block
        "",
        posts.REST,
        "",
        "[docs]: https://docs.python.org/3/",
        "*[GIL]: global interpreter lock",
    ]
    assert posts.excerpt_source(lines, "<!-- excerpt -->") == lines  # no such separator


def test_an_excerpt_renders_as_before_without_running_the_blocks_after_it(site, tmp_path):
    counter = tmp_path / "runs"
    code = f"open({str(counter)!r}, 'a').write('run\\n')\nprint('counted')\n"
    site.snippet("demo/count.py", code, "counted\n")
    text = site.post("demo", "Demo", POST_WITH_EXCERPT.format(blocks=block("demo/count.py")))
    fresh = {"SNIPPET_SANDBOX": "off", "SNIPPET_CACHE": "off"}
    whole = site.render(text, site.build(**fresh))
    assert counter.read_text() == "run\n"
    counter.unlink()
    excerpt = site.render(
        text, site.build(SNIPPET_SANDBOX="off", SNIPPET_CACHE="off"), excerpt=True
    )
    assert not counter.exists()  # the block after the separator did not run
    assert excerpt.split("<!-- more -->")[0] == whole.split("<!-- more -->")[0]
    assert "https://docs.python.org/3/" in excerpt.split("<!-- more -->")[0]
    assert excerpt.split("<!-- more -->")[1].strip()  # Material's "Continue reading"
