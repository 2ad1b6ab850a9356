"""CI proves what it claims.

- Under ``CI=true`` a missing requirement (a configured CPython, the sandbox, the
  browser) fails the run naming it; without CI it is a skip naming it. Each case
  is one small subprocess: a one-post site built with ``mkdocs build --strict``,
  or a single selected test (about a second each).
- The workflow installs what pyproject.toml configures and keeps its promises
  (the test step is the README's command; the preview is uploaded whatever the
  result; the expected outputs only after a failure).
- The rehearsal (scripts/ci_rehearsal.py) runs a job's ``run:`` steps as GitHub
  would, and the expected-outputs step produces a patch that applies in one line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
import yaml

from snippet_runner.blog import posts as blog

from .conftest import PROJECT, THIS_PYTHON

ROOT = PROJECT.root
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
REHEARSAL = ROOT / "scripts" / "ci_rehearsal.py"
EXPECTED_OUTPUTS = ROOT / ".github" / "scripts" / "expected_outputs.py"
BIN = Path(sys.executable).parent
#: A CPython that no machine has.
ABSENT = "3.99"

sys.path.insert(0, str(REHEARSAL.parent))
import ci_rehearsal as rehearsal  # noqa: E402


def environment(ci: bool, **changes: str) -> dict[str, str]:
    """This environment, without anything that decides the outcome, then ``CI`` and ``changes``."""
    decisive = re.compile(r"^(CI|SLUG|SNIPPET_.*|PICKLED_STATE_.*|PYTEST_.*)$")
    env = {key: value for key, value in os.environ.items() if not decisive.match(key)}
    return {**env, **({"CI": "true"} if ci else {}), **changes}


def pytest_run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rfsE", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def one_post(mini_site) -> None:
    mini_site.snippet("p/hello.py", "print('hi')\n", stdout="hi\n")
    mini_site.post("p", '```python exec="on" source="above"\n--8<-- "p/hello.py"\n```\n')


# -- a configured CPython is missing ------------------------------------------------


@pytest.mark.parametrize("ci", [True, False], ids=["CI", "local"])
def test_a_missing_interpreter_fails_its_test_under_ci_and_is_skipped_locally(ci):
    snippet = sorted(blog.executions(PROJECT, drafts=True))[0]
    node = f"tests/test_snippets.py::test_output[{PROJECT.rel(snippet)}-{ABSENT}]"
    proc = pytest_run(node, env=environment(ci, SNIPPET_PYTHONS=f"{THIS_PYTHON} {ABSENT}"))
    out = proc.stdout + proc.stderr
    assert f"CPython {ABSENT} is not available here: run `make pythons`" in out, out[-3000:]
    if ci:
        assert proc.returncode == 1 and "1 failed" in out, out[-3000:]
    else:
        assert proc.returncode == 0 and "1 skipped" in out, out[-3000:]


@pytest.mark.parametrize("ci", [True, False], ids=["CI", "local"])
def test_a_missing_interpreter_fails_the_build_under_ci_and_is_one_line_locally(mini_site, ci):
    one_post(mini_site)
    build = mini_site.build(pythons=f"{THIS_PYTHON} {ABSENT}", env={"CI": "true"} if ci else {})
    assert f"missing CPython, whose outputs are not shown: {ABSENT}: not found" in build.log
    if ci:
        assert build.returncode != 0 and "required here: CI" in build.log, build.log[-3000:]
    else:
        assert build.returncode == 0, build.log[-3000:]


# -- the sandbox (bubblewrap) cannot run ---------------------------------------------


def path_without(tool: str, folder: Path) -> str:
    """PATH with ``tool`` gone: each folder holding it replaced by links to everything else."""
    entries = []
    for number, entry in enumerate(os.environ["PATH"].split(os.pathsep)):
        if not (Path(entry) / tool).exists():
            entries.append(entry)
            continue
        shadow = folder / f"path{number}"
        shadow.mkdir()
        for item in Path(entry).iterdir():
            if item.name != tool:
                (shadow / item.name).symlink_to(item)
        entries.append(str(shadow))
    return os.pathsep.join(entries)


@pytest.fixture(scope="module")
def bwrap_paths(tmp_path_factory) -> dict[str, str]:
    """PATHs on which bubblewrap is not installed, or fails as Ubuntu 24.04's AppArmor makes it."""
    folder = tmp_path_factory.mktemp("bwrap")
    blocked = folder / "blocked"
    blocked.mkdir()
    (blocked / "bwrap").write_text(
        "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n"
    )
    (blocked / "bwrap").chmod(0o755)
    return {
        "not installed": path_without("bwrap", folder),
        "blocked": os.pathsep.join([str(blocked), os.environ["PATH"]]),
    }


HOW = ["not installed", "blocked"]


@pytest.mark.parametrize("how", HOW)
def test_an_unusable_sandbox_fails_the_build_under_ci(mini_site, bwrap_paths, how):
    one_post(mini_site)
    build = mini_site.build(env={"CI": "true", "PATH": bwrap_paths[how]})
    assert build.returncode != 0, build.log[-3000:]
    assert "the sandbox (bubblewrap) cannot run here" in build.log, build.log[-3000:]
    if how == "blocked":
        assert "kernel.apparmor_restrict_unprivileged_userns" in build.log


@pytest.mark.parametrize("how", HOW)
def test_snippet_sandbox_on_requires_the_sandbox_everywhere(mini_site, bwrap_paths, how):
    one_post(mini_site)
    build = mini_site.build(env={"SNIPPET_SANDBOX": "on", "PATH": bwrap_paths[how]})
    assert build.returncode != 0, build.log[-3000:]
    assert "the sandbox (bubblewrap) cannot run here" in build.log, build.log[-3000:]


@pytest.mark.parametrize("how", HOW)
def test_an_unusable_sandbox_is_one_line_locally(mini_site, bwrap_paths, how):
    one_post(mini_site)
    build = mini_site.build(env={"PATH": bwrap_paths[how]})
    assert "examples run WITHOUT the sandbox" in build.log, build.log[-3000:]
    assert build.returncode == 0, build.log[-3000:]


# -- the browser is missing -----------------------------------------------------------


@pytest.mark.parametrize("ci", [True, False], ids=["CI", "local"])
def test_a_missing_browser_fails_the_browser_tests_under_ci_and_skips_them_locally(tmp_path, ci):
    """PICKLED_STATE_CHROMIUM names the browser (CI sets it to Playwright's Chromium)."""
    missing = tmp_path / "no-chromium-here"
    proc = pytest_run(
        "tests/browser", "-x", env=environment(ci, PICKLED_STATE_CHROMIUM=str(missing))
    )
    out = proc.stdout + proc.stderr
    assert str(missing) in out, out[-3000:]
    if ci:
        assert proc.returncode != 0, out[-3000:]
    else:
        assert proc.returncode == 0 and "skipped" in out and "failed" not in out, out[-3000:]


# -- the preview: drafts included and marked -------------------------------------------

DRAFT = """\
---
draft: true
date:
  created: 2026-11-29
---
# Soon

Not published yet.

<!-- more -->

```python exec="on" source="above"
--8<-- "soon/hello.py"
```
"""


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "published"])
def test_the_preview_build_includes_drafts_marked_as_such(mini_site, preview):
    """PICKLED_STATE_DRAFTS=true (CI's preview step): the draft is built, with Material's
    "Draft" badge in the blog's lists and the site's own banner on the post."""
    theme = f"theme:\n  name: material\n  custom_dir: {ROOT / 'overrides'}\nplugins:\n  - blog\n"
    (mini_site.root / "mkdocs.yml").write_text((mini_site.root / "mkdocs.yml").read_text() + theme)
    (mini_site.root / "docs" / "blog" / "index.md").write_text("# Blog\n")
    (mini_site.root / "docs" / "blog" / "posts" / "soon.md").write_text(DRAFT)
    mini_site.snippet("soon/hello.py", "print('hi')\n", stdout="hi\n")
    build = mini_site.build(env={"PICKLED_STATE_DRAFTS": "true" if preview else "off"})
    assert build.returncode == 0, build.log[-3000:]
    pages = list(PROJECT.post_pages(build.site, "soon"))
    listing = (build.site / "blog" / "index.html").read_text(encoding="utf-8")
    if not preview:
        assert pages == [] and "md-draft" not in listing
        return
    assert len(pages) == 1, "the draft was left out of the preview"
    assert '<span class="md-draft">' in listing
    assert "<strong>Draft</strong>: this post is not published yet." in pages[0].read_text()


# -- the workflow --------------------------------------------------------------------


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: str = "test") -> list[dict]:
    return workflow()["jobs"][job]["steps"]


def step_using(action: str, **with_: str) -> list[dict]:
    return [
        s
        for s in steps()
        if s.get("uses", "").split("@")[0] == action
        and all(s.get("with", {}).get(k) == v for k, v in with_.items())
    ]


def test_ci_installs_every_configured_cpython():
    """setup-python gets the minors of pyproject.toml; `make pythons` tops up newer patches."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    configured = pyproject["tool"]["snippet-runner"]["pythons"]
    minors = {".".join(spec.split(".")[:2]) for spec in configured}
    (setup,) = step_using("actions/setup-python")
    installed = set(setup["with"]["python-version"].split())
    assert installed == minors, f"ci.yml installs {sorted(installed)}, pyproject {sorted(minors)}"
    assert setup["with"].get("allow-prereleases") is True


def test_every_action_is_pinned_to_a_commit():
    for job in workflow()["jobs"].values():
        for step in job.get("steps", []):
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]


def test_the_test_step_is_the_readme_command():
    """`.ci/run` is the CI entry point here and on GitHub, and it is exactly `make test`."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert lines[-1] == "exec make test" and "export CI=true" in lines
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert [s["run"] for s in steps() if s.get("name", "").startswith("Run every test")] == [
        ".ci/run"
    ]


def test_github_runners_get_the_sandbox_and_the_browser():
    by_name = {s.get("name", ""): s for s in steps()}
    sandbox = next(s for n, s in by_name.items() if n.startswith("Sandbox"))
    assert "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0" in sandbox["run"]
    assert "bubblewrap" in sandbox["run"]
    browser = next(s for n, s in by_name.items() if n.startswith("Chromium"))
    assert "playwright install --with-deps chromium" in browser["run"]
    assert 'echo "PICKLED_STATE_CHROMIUM=' in browser["run"]
    names = list(by_name)
    assert (
        names.index(sandbox["name"])
        < names.index(browser["name"])
        < names.index("Run every test (strict build included)")
    )


def test_the_preview_is_uploaded_whatever_the_result_and_includes_drafts():
    (upload,) = step_using("actions/upload-artifact", name="site-preview")
    build = next(s for s in steps() if s.get("name", "").startswith("Build the preview"))
    assert upload["if"] == build["if"] == "${{ !cancelled() }}"  # on success and on failure
    assert build["env"]["PICKLED_STATE_DRAFTS"] == "true"


def test_expected_outputs_are_recorded_after_a_failure_only():
    (upload,) = step_using("actions/upload-artifact", name="expected-outputs")
    record = next(s for s in steps() if "expected_outputs.py" in s.get("run", ""))
    assert upload["if"] == record["if"] == "failure()"
    assert upload["with"]["path"] == "expected-outputs/"


def test_ci_scripts_pass_ruff():
    for args in (["check"], ["format", "--check"]):
        proc = subprocess.run(
            [str(BIN / "ruff"), *args, ".github/scripts"], cwd=ROOT, capture_output=True, text=True
        )
        assert proc.returncode == 0, f"ruff {' '.join(args)}:\n{proc.stdout}{proc.stderr}"


# -- the rehearsal -------------------------------------------------------------------

CONTEXTS = {
    "github": {"event_name": "schedule", "ref": "refs/heads/main"},
    "runner": {"environment": "self-hosted"},
}


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("github.event_name == 'schedule' && 'off' || 'on'", "off"),
        ("github.event_name == 'pull_request' && 'off' || 'on'", "on"),
        ("runner.environment == 'github-hosted'", False),
        ("runner.environment == 'SELF-HOSTED'", True),  # GitHub compares strings case-blind
        ("!(github.ref != 'refs/heads/main')", True),
        ("'it''s'", "it's"),
    ],
)
def test_rehearsal_evaluates_expressions_as_github(expression, value):
    assert rehearsal.evaluate(expression, CONTEXTS) == value


def test_rehearsal_refuses_what_it_does_not_know():
    with pytest.raises(rehearsal.RehearsalError, match=r"does not know the context 'steps'"):
        rehearsal.evaluate("steps.x.outputs.y == 'z'", CONTEXTS)
    with pytest.raises(rehearsal.RehearsalError, match=r"does not know github.sha"):
        rehearsal.evaluate("github.sha", CONTEXTS)


@pytest.mark.parametrize(
    ("condition", "after_success", "after_failure"),
    [
        (None, True, False),
        ("always()", True, True),
        ("failure()", False, True),
        ("${{ failure() }}", False, True),
        ("github.event_name == 'schedule'", True, False),  # implicitly success() && ...
    ],
)
def test_rehearsal_runs_steps_when_github_would(condition, after_success, after_failure):
    assert rehearsal.condition(condition, CONTEXTS, "success") is after_success
    assert rehearsal.condition(condition, CONTEXTS, "failure") is after_failure


def test_rehearsal_plan_of_the_real_workflow():
    proc = subprocess.run(
        [sys.executable, str(REHEARSAL), "--plan"], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    run = [line.split(". ", 1)[1] for line in lines if line.endswith(": run")]
    assert run[:2] == ["Create the virtualenv (pinned requirements.txt): run",
                       "Run every test (strict build included): run"]  # fmt: skip
    for step, line in zip(steps(), lines, strict=True):
        assert "uses" not in step or ": skip" in line, line  # an action never runs here


def git(*args: str, cwd: Path) -> str:
    who = ["-c", "user.name=t", "-c", "user.email=t@localhost", "-c", "init.defaultBranch=main"]
    return subprocess.run(
        ["git", *who, *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


TINY_WORKFLOW = """\
on: push
jobs:
  test:
    runs-on: ubuntu-24.04
    env:
      MODE: ${{ github.event_name == 'push' && 'pushed' || 'other' }}
    steps:
      - uses: actions/checkout@0000000000000000000000000000000000000000
      - name: export
        run: echo "FROM_STEP=bar" >> "$GITHUB_ENV"
      - name: sees the job env, CI, GITHUB_ENV and the uncommitted file, in a clean clone
        run: |
          test "$MODE" = pushed && test "$CI" = true && test "$FROM_STEP" = bar
          test -f uncommitted.txt && test -z "$(git status --porcelain)"
      - name: breaks
        run: exit 3
      - name: not after a failure
        run: touch should-not-exist
      - name: after a failure
        if: failure()
        run: echo recorded
"""


def test_rehearsal_runs_the_steps_in_a_clone_and_stops_at_the_first_failure(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text(TINY_WORKFLOW)
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "tiny", cwd=repo)
    (repo / "uncommitted.txt").write_text("new\n")
    proc = subprocess.run(
        [sys.executable, str(REHEARSAL), "--source", str(repo), "--event", "push",
         "--workflow", str(repo / ".github" / "workflows" / "ci.yml")],
        capture_output=True, text=True, env=environment(False), timeout=60,
    )  # fmt: skip
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "skipped: `uses: actions/checkout` (an action): the rehearsal's clone" in out
    assert "FAILED at step 4, 'breaks': failed (exit 3)" in out, out
    assert re.search(r"not after a failure\s+skipped \(a step failed\)", out), out
    assert re.search(r"after a failure\s+\d+ s\s+ok", out), out
    assert "recorded" in out
    assert not (repo / "should-not-exist").exists()


# -- the expected-outputs artifact ---------------------------------------------------

UPDATE = """\
from pathlib import Path
folder = Path("snippets/post")
(folder / "x.stdout").write_text("new output\\n")
(folder / "x.3.15.stdout").write_text("3.15 prints this\\n")
(folder / "z.stdout").unlink()
(folder / "x.py").write_text("print( 'reformatted' )\\n")
"""


def test_expected_outputs_holds_only_changed_expected_files_and_a_patch(tmp_path):
    repo, out = tmp_path / "repo", tmp_path / "artifact"
    folder = repo / "snippets" / "post"
    folder.mkdir(parents=True)
    for name, text in {"x.py": "print('x')\n", "x.stdout": "old\n", "z.stdout": "z\n"}.items():
        (folder / name).write_text(text)
    (folder / "y.stderr").write_text("untouched\n")
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "snippets", cwd=repo)
    (tmp_path / "update.py").write_text(UPDATE)
    summary = tmp_path / "summary.md"
    env = environment(
        False,
        GITHUB_RUN_ID="123",
        GITHUB_REPOSITORY="owner/repo",
        GITHUB_STEP_SUMMARY=str(summary),
    )
    proc = subprocess.run(
        [sys.executable, str(EXPECTED_OUTPUTS), str(out), "--update",
         f"{sys.executable} {tmp_path / 'update.py'}"],
        cwd=repo, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    command = (
        "gh run download 123 -R owner/repo -n expected-outputs -D /tmp/expected-outputs-123"
        " && git apply /tmp/expected-outputs-123/expected-outputs.patch"
    )
    assert command in proc.stdout
    assert command in summary.read_text()
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == [
        "README.md",
        "expected-outputs.patch",
        "files/snippets/post/x.3.15.stdout",
        "files/snippets/post/x.stdout",
    ]
    assert "removed: `snippets/post/z.stdout`" in (out / "README.md").read_text()
    assert git("diff", "--cached", "--name-only", cwd=repo) == ""  # its index is untouched

    # The patch, applied to a clean clone of the commit, gives exactly the new expected files.
    clone = tmp_path / "clone"
    git("clone", "-q", str(repo), str(clone), cwd=tmp_path)
    git("apply", str(out / "expected-outputs.patch"), cwd=clone)
    for name in ("x.stdout", "x.3.15.stdout", "y.stderr"):
        assert (clone / "snippets/post" / name).read_text() == (folder / name).read_text()
    assert not (clone / "snippets/post/z.stdout").exists()
    assert (clone / "snippets/post/x.py").read_text() == "print('x')\n"  # sources stay out


def test_expected_outputs_writes_nothing_when_no_expected_file_changed(tmp_path):
    repo, out = tmp_path / "repo", tmp_path / "artifact"
    (repo / "snippets" / "post").mkdir(parents=True)
    (repo / "snippets" / "post" / "x.stdout").write_text("same\n")
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "snippets", cwd=repo)
    proc = subprocess.run(
        [sys.executable, str(EXPECTED_OUTPUTS), str(out), "--update", "true"],
        cwd=repo, capture_output=True, text=True, env=environment(False), timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0
    assert "no expected output changed: the failure is elsewhere" in proc.stdout
    assert not out.exists()


def test_a_rehearsal_brings_the_expected_outputs_back_into_the_working_tree(tmp_path, capsys):
    # The clone is removed when the rehearsal ends: the patch CI would upload must survive it.
    workspace, source = tmp_path / "clone", tmp_path / "mine"
    (workspace / "expected-outputs/snippets").mkdir(parents=True)
    (workspace / "expected-outputs/expected-outputs.patch").write_text("diff --git a/x b/x\n")
    (workspace / "expected-outputs/snippets/x.3.14.stdout").write_text("new\n")
    source.mkdir()
    rehearsal.bring_back_expected_outputs(workspace, source)
    patch = source / "expected-outputs/expected-outputs.patch"
    assert patch.read_text() == "diff --git a/x b/x\n"
    assert (source / "expected-outputs/snippets/x.3.14.stdout").read_text() == "new\n"
    assert "git apply expected-outputs/expected-outputs.patch" in capsys.readouterr().out
    # Nothing failed, no patch: nothing is written.
    other = tmp_path / "other"
    other.mkdir()
    rehearsal.bring_back_expected_outputs(tmp_path / "nothing", other)
    assert list(other.iterdir()) == []
