"""Every snippet runs as a real script under every configured CPython, matches its
expected output, and is linted.

Test ids name the snippet and the version, e.g.
``tests/test_snippets.py::test_output[snippets/caution-with-classes/chunks.py-3.12]``.
``pytest --update-examples`` rewrites expected outputs and reformats snippets.
"""

from __future__ import annotations

import pytest
from pytest_examples import CodeExample, EvalExample

from snippet_runner import checks, expected, interpreters, results, settings, snippets
from snippet_runner.settings import PROJECT

EXECUTIONS = snippets.executions()


def _id(path) -> str:
    return str(PROJECT.rel(path))


def _options(snippet) -> checks.RunOptions:
    fences = EXECUTIONS[snippet]
    where = ", ".join(f"{PROJECT.rel(f.post)}:{f.line}" for f in fences)
    assert snippet.is_file(), f"{where} executes {_id(snippet)}, which does not exist"
    options = {fence.run_options() for fence in fences}
    assert len(options) == 1, f"{where} run {_id(snippet)} with different options: {options}"
    return options.pop()


def _job(snippet, interpreter) -> results.Job:
    code = snippet.read_text(encoding="utf-8")
    return results.Job(code, snippet.name, _options(snippet), interpreter)


@pytest.fixture(scope="session")
def available(request) -> dict[str, interpreters.Interpreter]:
    """The configured interpreters found here; the selected snippets' runs start in parallel."""
    found = {i.minor: i for i in interpreters.available()}
    selected = {
        item.callspec.params["snippet"]
        for item in request.session.items
        if "snippet" in getattr(getattr(item, "callspec", None), "params", {})
    }
    jobs = [
        _job(snippet, interpreter)
        for snippet in selected & EXECUTIONS.keys()
        if snippet.is_file()
        for interpreter in found.values()
        if _options(snippet).runs_on(interpreter.version)
    ]
    results.run_all(jobs)
    return found


@pytest.mark.parametrize("minor", settings.PYTHONS)
@pytest.mark.parametrize("snippet", sorted(EXECUTIONS), ids=_id)
def test_output(snippet, minor, available, request):
    options = _options(snippet)
    if minor not in available:
        pytest.skip(f"CPython {minor} is not installed here (CI requires every version)")
    interpreter = available[minor]
    if not options.runs_on(interpreter.version):
        pytest.skip(f"the post runs this snippet on CPython {options.versions} only")

    result = results.get(_job(snippet, interpreter))

    problem = checks.verdict(result, options)
    assert problem is None, f"{_id(snippet)} under {interpreter.label} {problem}"
    if request.config.getoption("update_examples"):
        everyone = {
            m: results.get(_job(snippet, i))
            for m, i in available.items()
            if options.runs_on(i.version)
        }
        for path in expected.update(snippet, everyone):
            print(f"rewrote {_id(path)}")
    drift = expected.problems(snippet, result, minor, root=PROJECT.root)
    assert not drift, f"{_id(snippet)} under {interpreter.label}:\n" + "\n".join(drift)


class _SnippetFile(CodeExample):
    # pytest-examples' black check collapses black's own blank lines in .py files.
    def in_py_file(self) -> bool:
        return False


@pytest.mark.parametrize("snippet", snippets.snippet_files(), ids=_id)
def test_lint(snippet, eval_example: EvalExample):
    eval_example.set_config(line_length=88, target_version="py39", isort=True)
    example = _SnippetFile.create(snippet.read_text(encoding="utf-8"), path=snippet)
    if eval_example.update_examples:
        eval_example.format(example)
        eval_example.to_update.clear()  # written here, to the real file
        snippet.write_text(example.source, encoding="utf-8")
    else:
        eval_example.lint(example)
