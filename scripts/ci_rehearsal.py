"""Rehearse the CI workflow's test job on this machine, before a push (`make ci-rehearsal`).

    python scripts/ci_rehearsal.py [--job test] [--event pull_request] [--committed]
                                   [--keep] [--plan] [--workflow .github/workflows/ci.yml]

Reads the workflow, takes the job's steps in order and runs each ``run:`` step as
GitHub runs it (``bash --noprofile --norc -eo pipefail``), in a fresh clone in a
temporary folder, with the job's ``env:`` plus ``CI=true``:

- ``uses:`` steps (actions) cannot run here: each is skipped with a note saying
  what stands in for it (the clone for actions/checkout, this machine's
  interpreters and ``make pythons`` for actions/setup-python, ...).
- ``if:`` is evaluated as GitHub would on a self-hosted runner
  (``runner.environment`` is ``self-hosted``) for ``--event``: the steps that
  give GitHub's runners what this machine already has (the user-namespace
  setting bubblewrap needs, Playwright's Chromium) are skipped, their condition
  printed. After a failing step, only ``failure()``/``always()`` steps run, as on
  GitHub; the rehearsal then exits 1 naming the first failed step.
- ``$GITHUB_ENV`` and ``$GITHUB_STEP_SUMMARY`` work as on GitHub.

The clone (under ~/.cache/pickled-state/ci-rehearsals: not /tmp, which the
sandbox hides) is ``git clone`` of this repository plus the working tree's
uncommitted changes (edited, new and deleted files; nothing git ignores),
committed inside the clone: the rehearsal tests what pushing the current tree
would test, and ``git diff`` there starts clean as in a CI checkout.
``--committed`` rehearses HEAD only. ``.venv``, caches and ``site/`` start empty,
as on a runner with a cache miss. ``--plan`` prints what would run and exits.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
#: Where the clones go: not under /tmp, which the sandbox replaces with a private one,
#: so a checkout there would hide its own .venv from sandboxed tests (GitHub checks
#: out under /home/runner/work).
SCRATCH = Path.home() / ".cache" / "pickled-state" / "ci-rehearsals"

#: What stands in, here, for each action the workflow uses (by owner/name).
ACTIONS = {
    "actions/checkout": "the rehearsal's clone of this repository is the checkout",
    "actions/setup-python": (
        "this machine's CPythons stand in (PATH, pyenv, and the Debian-unstable root "
        "filesystem of `make pythons`, which `make test` runs)"
    ),
    "actions/cache": "no cache is restored: the clone starts cold, as on a cache miss",
    "actions/upload-artifact": "nothing is uploaded: the files stay in the clone (--keep)",
    "actions/upload-pages-artifact": "nothing is uploaded: GitHub Pages is GitHub's",
    "actions/deploy-pages": "nothing is deployed: GitHub Pages is GitHub's",
}
#: What the caller's shell must not pass on: settings of the project's own runs and tests.
PRIVATE_ENV = re.compile(r"^(SNIPPET_|PICKLED_STATE_|PYTEST_|GITHUB_|RUNNER_)|^(VIRTUAL_ENV|CI)$")
SHELLS = {
    "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail", "{0}"],
    "sh": ["sh", "-e", "{0}"],
}


class RehearsalError(RuntimeError):
    """The workflow uses something the rehearsal cannot reproduce; the message says what."""


# -- GitHub's expression language, the part a workflow's `if:` and `env:` use ----------

_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+(?:\.\d+)?)"
    r"|(?P<op>&&|\|\||==|!=|<=|>=|[!()<>.,])|(?P<name>[A-Za-z_][\w-]*))"
)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise RehearsalError(f"cannot read the expression {text!r} at {text[position:]!r}")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def _truthy(value: object) -> bool:
    return value not in (None, False, 0, "")


def _loose(value: object) -> object:
    """Comparisons as GitHub makes them: strings case-insensitively."""
    return value.lower() if isinstance(value, str) else value


class Expression:
    """``${{ }}`` expressions: literals, context properties, ! && || == != and
    the status functions; ``&&``/``||`` return an operand, as in GitHub."""

    def __init__(self, text: str, contexts: dict, status: str) -> None:
        self.text, self.contexts, self.status = text, contexts, status
        self.tokens = _tokens(text)
        self.at = 0

    def value(self) -> object:
        result = self._or()
        if self.at != len(self.tokens):
            raise RehearsalError(f"cannot read the expression {self.text!r}")
        return result

    def _peek(self) -> str | None:
        return self.tokens[self.at][1] if self.at < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> tuple[str, str]:
        if self.at >= len(self.tokens) or (expected and self.tokens[self.at][1] != expected):
            raise RehearsalError(f"cannot read the expression {self.text!r}")
        self.at += 1
        return self.tokens[self.at - 1]

    def _or(self) -> object:
        left = self._and()
        while self._peek() == "||":
            self._take()
            right = self._and()
            left = left if _truthy(left) else right
        return left

    def _and(self) -> object:
        left = self._compare()
        while self._peek() == "&&":
            self._take()
            right = self._compare()
            left = right if _truthy(left) else left
        return left

    def _compare(self) -> object:
        left = self._unary()
        while self._peek() in ("==", "!="):
            operator = self._take()[1]
            right = self._unary()
            same = _loose(left) == _loose(right)
            left = same if operator == "==" else not same
        return left

    def _unary(self) -> object:
        if self._peek() == "!":
            self._take()
            return not _truthy(self._unary())
        return self._atom()

    def _atom(self) -> object:
        kind, text = self._take()
        if text == "(":
            inner = self._or()
            self._take(")")
            return inner
        if kind == "str":
            return text[1:-1].replace("''", "'")
        if kind == "num":
            return float(text)
        if kind != "name":
            raise RehearsalError(f"cannot read the expression {self.text!r}")
        if text in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[text]
        if self._peek() == "(":
            self._take("(")
            self._take(")")
            return self._status_function(text)
        value = self._context(text)
        path = text
        while self._peek() == ".":
            self._take()
            key = self._take()[1]
            path += "." + key
            if not isinstance(value, dict) or key not in value:
                raise RehearsalError(
                    f"the rehearsal does not know {path} (in {self.text!r}); "
                    f"it knows {', '.join(_known(self.contexts))}"
                )
            value = value[key]
        return value

    def _context(self, name: str) -> object:
        if name not in self.contexts:
            raise RehearsalError(
                f"the rehearsal does not know the context {name!r} (in {self.text!r}); "
                f"it knows {', '.join(_known(self.contexts))}"
            )
        return self.contexts[name]

    def _status_function(self, name: str) -> bool:
        functions = {
            "success": self.status == "success",
            "failure": self.status == "failure",
            "always": True,
            "cancelled": False,
        }
        if name not in functions:
            raise RehearsalError(f"the rehearsal does not know the function {name}()")
        return functions[name]


def _known(contexts: dict, prefix: str = "") -> list[str]:
    names = []
    for key, value in contexts.items():
        if isinstance(value, dict):
            names += _known(value, f"{prefix}{key}.")
        else:
            names.append(prefix + key)
    return names


def evaluate(text: str, contexts: dict, status: str = "success") -> object:
    """The value of one expression (without its ``${{ }}``)."""
    return Expression(text, contexts, status).value()


def condition(text: object, contexts: dict, status: str) -> bool:
    """A step's ``if:``: without a status function it applies only while all succeed."""
    if text is None:
        return status == "success"
    if isinstance(text, bool):
        return text and status == "success"
    source = str(text).strip()
    source = source[3:-2].strip() if source.startswith("${{") and source.endswith("}}") else source
    value = _truthy(evaluate(source, contexts, status))
    if not re.search(r"\b(success|failure|always|cancelled)\s*\(", source):
        value = value and status == "success"
    return value


def interpolate(text: object, contexts: dict) -> str:
    """``text`` with each ``${{ expression }}`` replaced by its value, as a string."""

    def one(match: re.Match) -> str:
        value = evaluate(match.group(1), contexts)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "" if value is None else str(value)

    return re.sub(r"\$\{\{(.*?)\}\}", one, str(text))


# -- the plan ---------------------------------------------------------------------


@dataclass
class Step:
    number: int
    name: str
    spec: dict

    @property
    def action(self) -> str | None:
        uses = self.spec.get("uses")
        return uses.split("@")[0] if uses else None


@dataclass
class Outcome:
    step: Step
    result: str  # "ok", "failed (exit N)", "skipped: ..."
    seconds: float = 0.0


@dataclass
class Job:
    name: str
    env: dict
    steps: list[Step]
    defaults: dict = field(default_factory=dict)


def load_job(workflow: Path, job_id: str) -> Job:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    jobs = data.get("jobs") or {}
    if job_id not in jobs:
        raise RehearsalError(f"{workflow} has no job {job_id!r} (it has {', '.join(jobs)})")
    job = jobs[job_id]
    if "strategy" in job or "container" in job or "services" in job:
        raise RehearsalError(f"job {job_id!r} uses a matrix, container or services: not rehearsed")
    steps = []
    for number, spec in enumerate(job.get("steps") or [], start=1):
        run = spec.get("run")
        name = spec.get("name") or (
            f"Run {str(run).strip().splitlines()[0]}" if run else spec.get("uses", "?")
        )
        steps.append(Step(number, name, spec))
    defaults = {**(data.get("defaults") or {}).get("run", {})}
    defaults.update((job.get("defaults") or {}).get("run", {}))
    env = {**(data.get("env") or {}), **(job.get("env") or {})}
    return Job(job.get("name", job_id), env, steps, defaults)


def contexts_for(event: str, workspace: Path, temp: Path) -> dict:
    ref = {"pull_request": "refs/pull/1/merge"}.get(event, "refs/heads/main")
    return {
        "github": {
            "event_name": event,
            "ref": ref,
            "workflow": "ci",
            "repository": "local/rehearsal",
            "workspace": str(workspace),
        },
        "runner": {"environment": "self-hosted", "os": "Linux", "temp": str(temp)},
    }


# -- running ----------------------------------------------------------------------


def say(line: str = "") -> None:
    print(line, flush=True)


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def clone(source: Path, target: Path, *, committed: bool) -> list[str]:
    """A fresh clone of ``source``, with its uncommitted changes unless ``committed``.

    Returns the paths carried over from the working tree.
    """
    subprocess.run(["git", "clone", "--quiet", str(source), str(target)], check=True)
    if committed:
        return []
    carried = git(
        "ls-files", "-z", "--modified", "--others", "--exclude-standard", cwd=source
    ).split("\0")
    carried = sorted({name for name in carried if name})
    for name in carried:
        origin, copy = source / name, target / name
        if copy.is_symlink() or copy.is_file():
            copy.unlink()
        if origin.is_symlink():
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.symlink_to(os.readlink(origin))
        elif origin.is_file():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, copy)
    if carried:
        git("add", "--all", cwd=target)
        who = ["-c", "user.name=ci-rehearsal", "-c", "user.email=ci-rehearsal@localhost"]
        message = "rehearsal: the working tree's uncommitted changes"
        git(*who, "commit", "--quiet", "--no-verify", "-m", message, cwd=target)
    return carried


def read_env_file(path: Path) -> dict[str, str]:
    """``$GITHUB_ENV`` lines: ``NAME=value`` or ``NAME<<DELIMITER`` ... ``DELIMITER``."""
    values, lines = {}, path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, index + 1)
            values[name] = "\n".join(lines[index + 1 : end])
            index = end + 1
            continue
        if "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
        index += 1
    return values


def why_false(text: object, event: str) -> str:
    """What makes an ``if:`` false here, in words."""
    source = str(text)
    notes = []
    if "runner.environment" in source:
        notes.append(
            "this machine is rehearsed as a self-hosted runner, which has what the step "
            "installs on GitHub's (`make test` provides bubblewrap and Debian's chromium)"
        )
    if "github.event_name" in source or "github.ref" in source:
        notes.append(f"the rehearsed event is a {event} (--event)")
    if "failure()" in source:
        notes.append("it runs after a failure only")
    return f"if: {source}" + "".join(f"; {note}" for note in notes)


def skip_reason(step: Step) -> str | None:
    """Why an action step cannot run here, or None for a ``run:`` step."""
    if "run" in step.spec:
        return None
    action = step.action or "?"
    return f"`uses: {action}` (an action): {ACTIONS.get(action, 'actions run on GitHub only')}"


def run_job(job: Job, workspace: Path, event: str, base_env: dict[str, str]) -> list[Outcome]:
    temp = Path(tempfile.mkdtemp(prefix="runner-temp-", dir=workspace.parent))
    contexts = contexts_for(event, workspace, temp)
    env_file, summary = temp / "github_env", temp / "step_summary"
    env_file.touch()
    summary.touch()
    env = {**base_env, "CI": "true", "GITHUB_WORKSPACE": str(workspace), "RUNNER_TEMP": str(temp)}
    for key, value in job.env.items():
        env[key] = interpolate(value, contexts)
    contexts["env"] = env
    status, outcomes = "success", []
    for step in job.steps:
        label = f"[{step.number}/{len(job.steps)}] {step.name}"
        if not condition(step.spec.get("if"), contexts, status):
            reason = why_false(step.spec["if"], event) if "if" in step.spec else "a step failed"
            say(f"-- {label}\n   skipped ({reason})")
            outcomes.append(
                Outcome(
                    step,
                    "skipped (if: false here)" if "if" in step.spec else "skipped (a step failed)",
                )
            )
            continue
        why = skip_reason(step)
        if why:
            say(f"-- {label}\n   skipped: {why}")
            outcomes.append(Outcome(step, f"skipped (action {step.action})"))
            continue
        say(f"== {label}")
        started = time.monotonic()
        code = run_step(step, job, workspace, env, contexts, env_file, summary)
        seconds = time.monotonic() - started
        env.update(read_env_file(env_file))
        env_file.write_text("")
        if code == 0 or step.spec.get("continue-on-error") is True:
            outcomes.append(Outcome(step, "ok", seconds))
            say(f"   ok ({seconds:.0f} s)")
        else:
            outcomes.append(Outcome(step, f"failed (exit {code})", seconds))
            say(f"   FAILED (exit {code}, {seconds:.0f} s): {step.name}")
            status = "failure"
    if summary.stat().st_size:
        say("\n== job summary ($GITHUB_STEP_SUMMARY)\n" + summary.read_text(encoding="utf-8"))
    return outcomes


def run_step(step, job, workspace, env, contexts, env_file, summary) -> int:
    shell = step.spec.get("shell") or job.defaults.get("shell") or "bash"
    if shell not in SHELLS:
        raise RehearsalError(f"step {step.name!r}: shell {shell!r} is not rehearsed (bash, sh)")
    script = interpolate(step.spec["run"], contexts)
    folder = workspace / (
        step.spec.get("working-directory") or job.defaults.get("working-directory") or "."
    )
    step_env = {**env, "GITHUB_ENV": str(env_file), "GITHUB_STEP_SUMMARY": str(summary)}
    for key, value in (step.spec.get("env") or {}).items():
        step_env[key] = interpolate(value, {**contexts, "env": step_env})
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False, dir=env_file.parent) as f:
        f.write(script)
    argv = [part.replace("{0}", f.name) for part in SHELLS[shell]]
    minutes = step.spec.get("timeout-minutes")
    try:
        return subprocess.run(
            argv, cwd=folder, env=step_env, timeout=minutes * 60 if minutes else None
        ).returncode
    except subprocess.TimeoutExpired:
        say(f"   timed out after {minutes} min")
        return 124


def base_environment() -> dict[str, str]:
    """This shell's environment minus what would make the rehearsal differ from a runner."""
    return {key: value for key, value in os.environ.items() if not PRIVATE_ENV.match(key)}


def report(outcomes: list[Outcome]) -> int:
    say("\n== rehearsal summary")
    for o in outcomes:
        name = o.step.name if len(o.step.name) <= 60 else o.step.name[:59] + "…"
        took = f"{o.seconds:5.0f} s" if o.seconds else ""
        say(f"{o.step.number:>3}. {name:<60}  {took:>7}  {o.result}")
    failed = [o for o in outcomes if o.result.startswith("failed")]
    if failed:
        first = failed[0]
        where = f"step {first.step.number}, {first.step.name!r}"
        say(f"\nthe rehearsal FAILED at {where}: {first.result}")
        return 1
    say("\nthe rehearsal passed: every step that runs here succeeded")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workflow", type=Path, default=ROOT / ".github/workflows/ci.yml")
    parser.add_argument("--job", default="test")
    events = ["pull_request", "push", "schedule", "workflow_dispatch"]
    parser.add_argument("--event", default="pull_request", choices=events)
    parser.add_argument(
        "--committed", action="store_true", help="rehearse HEAD, not the working tree"
    )
    parser.add_argument("--keep", action="store_true", help="keep the clone and say where")
    parser.add_argument("--plan", action="store_true", help="print what would run, run nothing")
    parser.add_argument("--source", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    try:
        job = load_job(args.workflow, args.job)
        if args.plan:
            return plan(job, args.event)
        SCRATCH.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix="ci-rehearsal-", dir=SCRATCH))
        workspace = scratch / "repo"
        carried = clone(args.source, workspace, committed=args.committed)
        what = "HEAD only" if args.committed else f"HEAD + {len(carried)} uncommitted file(s)"
        say(
            f"rehearsing job {args.job!r} ({job.name}) of {args.workflow.name} for a "
            f"{args.event} event, in {workspace} ({what}), with CI=true"
        )
        try:
            outcomes = run_job(job, workspace, args.event, base_environment())
            bring_back_expected_outputs(workspace, args.source)
        finally:
            if args.keep:
                say(f"\nthe clone is kept in {workspace}")
            else:
                shutil.rmtree(scratch, ignore_errors=True)
        return report(outcomes)
    except RehearsalError as error:
        say(f"ci-rehearsal: {error}")
        return 2


#: Where a failed rehearsal leaves the expected outputs CI would upload, in the working tree.
EXPECTED_OUTPUTS = "expected-outputs"


def bring_back_expected_outputs(workspace: Path, source: Path) -> None:
    """Copy the expected-outputs artifact out of the clone (removed at the end), with the
    command that applies it here: what GitHub's artifact and `gh run download` do in CI."""
    made = workspace / EXPECTED_OUTPUTS
    patch = made / "expected-outputs.patch"
    if not patch.is_file():
        return
    kept = source / EXPECTED_OUTPUTS
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(made, kept)
    say(
        f"\nthe outputs this run printed, as CI would upload them, are in {kept}; apply them "
        f"with:\n  git apply {EXPECTED_OUTPUTS}/expected-outputs.patch && rm -r {EXPECTED_OUTPUTS}"
    )


def plan(job: Job, event: str) -> int:
    """What a rehearsal would do with each step, as it would decide, without running anything."""
    contexts = contexts_for(event, Path("<clone>"), Path("<temp>"))
    contexts["env"] = {key: interpolate(value, contexts) for key, value in job.env.items()}
    for step in job.steps:
        on_success = condition(step.spec.get("if"), contexts, "success")
        on_failure = condition(step.spec.get("if"), contexts, "failure")
        if skip_reason(step) and (on_success or on_failure):
            verdict = f"skip: {skip_reason(step)}"
        elif on_success:
            verdict = "run" + (", also after a failure" if on_failure else "")
        elif on_failure:
            verdict = "run after a failure only"
        else:
            verdict = f"skip ({why_false(step.spec['if'], event)})"
        say(f"{step.number:>3}. {step.name}: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
