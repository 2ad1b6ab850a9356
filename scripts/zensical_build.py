"""Build the site with Zensical, and fail when an executed example fails.

`zensical build --strict` logs a failed block and still exits 0, which would
publish a broken page. This wrapper collects failed blocks through
$SNIPPET_FAILURES_FILE (written by snippet_runner.blog.build), exits 1 naming
each post and snippet, and removes the half-good site so it cannot be published.
Zensical runs no hooks, so this wrapper also does MkDocs' after-build work (card
images, snippet downloads) with the same function.

Usage: python scripts/zensical_build.py [-f mkdocs.yml]
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from snippet_runner.blog import posts, publish
from snippet_runner.blog.build import Build
from snippet_runner.blog.layout import Layout


def main(argv: list[str]) -> int:
    config_file = Path(argv[argv.index("-f") + 1] if "-f" in argv else "mkdocs.yml").resolve()
    layout = Layout.load(config_file)
    found = posts.problems(layout)
    if found:
        print("posts that cannot be built:\n  " + "\n  ".join(found), file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        failures_file = Path(tmp, "failures.jsonl")
        env = {**os.environ, "SNIPPET_FAILURES_FILE": str(failures_file)}
        zensical = Path(sys.executable).with_name("zensical")
        # --clean: Zensical's own page cache does not know about included snippets.
        cmd = [str(zensical), "build", "--clean", "--strict", "-f", str(config_file)]
        status = subprocess.run(cmd, cwd=config_file.parent, env=env).returncode
        failures = (
            [json.loads(line) for line in failures_file.read_text().splitlines()]
            if failures_file.exists()
            else []
        )
    if failures:
        print(f"\nzensical build: {len(failures)} executed example(s) failed:", file=sys.stderr)
        for failure in failures:
            print(f"\n{failure['where']}:", file=sys.stderr)
            for problem in failure["problems"]:
                print("  " + problem.replace("\n", "\n  "), file=sys.stderr)
        shutil.rmtree(layout.site_dir, ignore_errors=True)
        print("\nThe built site was removed: it showed errors instead of outputs.", file=sys.stderr)
        return 1
    if status == 0:
        publish.after_build(Build.for_site(config_file), layout.site_dir)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
