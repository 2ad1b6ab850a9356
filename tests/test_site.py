"""The real site: a strict build, then every internal link of the built HTML."""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from snippet_runner.settings import PROJECT

from .test_front_matter import is_draft


def test_strict_build_renders_every_published_post(built_site):
    posts = sorted(p.stem for p in PROJECT.posts_dir.glob("*.md") if not is_draft(p))
    pages = {p.parent.name for p in built_site.glob("blog/*/*/*/*/index.html")}
    assert set(posts) <= pages, f"posts without a page: {set(posts) - pages}"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="session")
def served_site(built_site) -> Iterator[str]:
    """The built site over HTTP on localhost, as a reader's browser gets it."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_internal_links_resolve(served_site):
    # linkchecker also catches links to drafts, which `mkdocs build --strict` lets
    # through. It checks only links on the site's own host (it runs offline).
    proc = subprocess.run(
        [
            str(Path(sys.executable).with_name("linkchecker")),
            "--no-status",
            "--no-warnings",
            served_site,
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, "broken internal links:\n" + proc.stdout[-6000:]
