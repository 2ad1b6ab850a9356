"""Every snippet runs as a real script under every configured CPython, matches its
expected output, and is linted.

Test ids name the snippet and the configured version, e.g.
``tests/test_snippets.py::test_output[snippets/caution-with-classes/chunks.py-3.13.18]``.
``make update-examples [SLUG=<post-slug>]`` rewrites expected outputs (only for
the interpreters found here) and reports snippets it reformatted.
"""

from __future__ import annotations

import os

import pytest
from pytest_examples import CodeExample, EvalExample

from snippet_runner.blog import posts as blog
from snippet_runner.blog.build import Build
from snippet_runner.executor import expected
from snippet_runner.executor.config import Config
from snippet_runner.executor.options import verdict

from .conftest import PROJECT

CONFIG = Config.load(PROJECT.root)
#: CI (or SNIPPET_PYTHONS_REQUIRED) fails a test whose interpreter is missing; locally it skips.
REQUIRED = CONFIG.required
#: The build these tests check; a missing interpreter is reported per test, not at import.
BUILD = Build(PROJECT, CONFIG.but(required=False))
EXECUTIONS = blog.executions(PROJECT, drafts=True)
ONLY = os.environ.get("SLUG", "")


def _id(path) -> str:
    return str(PROJECT.rel(path))


def _options(snippet):
    fences = EXECUTIONS[snippet]
    where = ", ".join(f.where(PROJECT) for f in fences)
    options = {BUILD.options(fence.options) for fence in fences}
    assert len(options) == 1, f"{where} run {_id(snippet)} with different options: {options}"
    return options.pop()


def _selected(items) -> set:
    return {
        item.callspec.params["snippet"]
        for item in items
        if "snippet" in getattr(getattr(item, "callspec", None), "params", {})
    }


@pytest.fixture(scope="session")
def prerun(request) -> None:
    """The selected snippets' runs start in parallel, before the first test reads one."""
    jobs = [
        job
        for snippet in _selected(request.session.items) & EXECUTIONS.keys()
        if not ONLY or snippet.parent.name == ONLY
        for job in BUILD.jobs(snippet, _options(snippet))
    ]
    BUILD.run(jobs)


def _interpreter(wanted: str):
    for interpreter in BUILD.interpreters:
        if (
            wanted == interpreter.minor
            or wanted == interpreter.version
            or interpreter.version.startswith(wanted + ".")
        ):
            return interpreter
    return None


@pytest.mark.parametrize("wanted", BUILD.config.pythons)
@pytest.mark.parametrize("snippet", sorted(EXECUTIONS), ids=_id)
def test_output(snippet, wanted, prerun, request):
    if ONLY and snippet.parent.name != ONLY:
        pytest.skip(f"SLUG={ONLY}")
    options = _options(snippet)
    interpreter = _interpreter(wanted)
    if interpreter is None:
        message = f"CPython {wanted} is not available here: run `make pythons` (see README)"
        if REQUIRED:
            pytest.fail(message + " (required: CI or SNIPPET_PYTHONS_REQUIRED)")
        pytest.skip(message)
    if not options.runs_on(interpreter.version):
        pytest.skip(f"the post runs this snippet on CPython {options.versions} only")
    (job,) = [j for j in BUILD.jobs(snippet, options) if j.interpreter == interpreter]
    result = BUILD.runner.get(job)

    problem = verdict(result, options)
    assert problem is None, f"{_id(snippet)} under {interpreter.label} {problem}"
    if request.config.getoption("update_examples"):
        for path in BUILD.record(snippet, options):
            state = "written" if path.exists() else "removed"
            print(f"\nexpected file {state}: {_id(path)}")
    shown = BUILD.shown(snippet, result)
    drift = expected.problems(
        snippet, shown, interpreter.key, root=PROJECT.root, label=interpreter.label
    )
    assert not drift, "\n".join(drift)


class _SnippetFile(CodeExample):
    # pytest-examples' black check collapses black's own blank lines in .py files.
    def in_py_file(self) -> bool:
        return False


@pytest.mark.parametrize("snippet", blog.snippet_files(PROJECT), ids=_id)
def test_lint(snippet, eval_example: EvalExample):
    if ONLY and snippet.parent.name != ONLY:
        pytest.skip(f"SLUG={ONLY}")
    eval_example.set_config(line_length=88, target_version="py39", isort=True)
    example = _SnippetFile.create(snippet.read_text(encoding="utf-8"), path=snippet)
    if eval_example.update_examples:
        before = example.source
        eval_example.format(example)
        eval_example.to_update.clear()  # written here, to the real file
        if example.source != before:
            snippet.write_text(example.source, encoding="utf-8")
            print(f"reformatted {_id(snippet)} (ruff + black): review the change")
    else:
        try:
            eval_example.lint(example)
        except Exception as error:  # noqa: BLE001 - add the command that fixes it
            pytest.fail(
                f"{error}\nFix it with `make update-examples SLUG={snippet.parent.name}` "
                "(it reformats the snippet) or by hand."
            )
