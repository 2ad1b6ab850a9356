"""After a failed CI run: what this run's CPythons printed, as a patch that applies in one line.

    python .github/scripts/expected_outputs.py OUT [--update "make update-examples"]

Runs the update command (every snippet under every interpreter this runner has),
then keeps only the expected-output files (``snippets/**/*.stdout``, ``*.stderr``)
it changed, added or removed, compared with the checked-out commit:

- ``OUT/expected-outputs.patch``: all of them, for ``git apply``;
- ``OUT/files/snippets/...``: a copy of each changed or new file, to read;
- ``OUT/README.md``: the list and the command.

It prints the one-line command that downloads the artifact and applies the patch
(and adds it to the job summary on GitHub). When no expected file changed (the
failure is elsewhere) it writes nothing. The exit status is 0 either way: the
job has already failed, this step only collects. Snippet sources that the update
reformatted are left out: they are the contributor's to fix (`make update-examples`).
Needs only the standard library and git.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ARTIFACT = "expected-outputs"
PATCH = "expected-outputs.patch"
#: The expected files, as git pathspecs (a snippet's source is never one of them).
PATHSPECS = [":(glob)snippets/**/*.stdout", ":(glob)snippets/**/*.stderr"]


def git(*args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(
        ["git", *args], check=True, capture_output=True, text=True, env=env
    ).stdout


def changes() -> tuple[list[tuple[str, str]], str]:
    """(status, path) of each changed expected file, and the binary patch of them all.

    Staged in a throwaway copy of the index, so the checkout's own index is untouched.
    """
    with tempfile.TemporaryDirectory() as scratch:
        index = Path(scratch) / "index"
        real_index = Path(git("rev-parse", "--git-path", "index").strip())
        if real_index.exists():
            shutil.copy(real_index, index)
        env = {**os.environ, "GIT_INDEX_FILE": str(index)}
        git("add", "--all", "--", "snippets", env=env)  # only this index sees it
        status = git("diff", "--cached", "--name-status", "HEAD", "--", *PATHSPECS, env=env)
        patch = git("diff", "--cached", "--binary", "HEAD", "--", *PATHSPECS, env=env)
    rows = [tuple(line.split("\t", 1)) for line in status.splitlines() if line]
    return [(kind, path) for kind, path in rows], patch


def apply_command() -> str:
    """The one line a contributor runs in their clone (run and repository from GitHub's env)."""
    run = os.environ.get("GITHUB_RUN_ID", "<run-id>")
    repo = os.environ.get("GITHUB_REPOSITORY", "<owner>/<repo>")
    folder = f"/tmp/{ARTIFACT}-{run}"
    return (
        f"gh run download {run} -R {repo} -n {ARTIFACT} -D {folder} && git apply {folder}/{PATCH}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (the artifact's contents)")
    parser.add_argument("--update", default="make update-examples", help="command to run first")
    args = parser.parse_args(argv)

    print(f"$ {args.update}", flush=True)
    # It fails when something else is broken too; whatever it rewrote is still worth having.
    subprocess.run(shlex.split(args.update), check=False)

    changed, patch = changes()
    if not changed:
        print("no expected output changed: the failure is elsewhere (see the test step)")
        return 0
    shutil.rmtree(args.out, ignore_errors=True)
    (args.out / "files").mkdir(parents=True)
    (args.out / PATCH).write_text(patch, encoding="utf-8")
    for kind, path in changed:
        if kind != "D":
            target = args.out / "files" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)

    command = apply_command()
    names = {"A": "new", "M": "changed", "D": "removed"}
    listing = "\n".join(f"- {names.get(kind[0], kind)}: `{path}`" for kind, path in changed)
    readme = (
        "# Expected outputs printed by this CI run\n\n"
        f"{len(changed)} expected file(s) differ from the commit that was tested:\n\n"
        f"{listing}\n\n"
        "Apply them in your clone, read the diff, and commit the ones that are right:\n\n"
        f"```sh\n{command}\n```\n\n"
        "If the patch does not apply (your branch moved on), add `--3way` to `git apply`.\n"
    )
    (args.out / "README.md").write_text(readme, encoding="utf-8")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(readme)

    print(f"{len(changed)} expected file(s) differ:")
    for kind, path in changed:
        print(f"  {names.get(kind[0], kind)}: {path}")
    print(f"apply them in your clone with:\n  {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
