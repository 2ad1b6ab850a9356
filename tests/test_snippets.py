"""Every snippet runs as a real script, matches its expected output, and is linted.

Test ids are the snippet paths, e.g.
``tests/test_snippets.py::test_output[snippets/caution-with-classes/chunks.py]``.
``pytest --update-examples`` rewrites expected outputs and reformats snippets.
"""

from __future__ import annotations

import pytest
from pytest_examples import CodeExample, EvalExample

from snippet_runner import checks, expected, interpreter, snippets
from snippet_runner.process import run_script
from snippet_runner.settings import PROJECT

EXECUTIONS = snippets.executions()


def _id(path) -> str:
    return str(PROJECT.rel(path))


@pytest.mark.parametrize("snippet", sorted(EXECUTIONS), ids=_id)
def test_output(snippet, request):
    fences = EXECUTIONS[snippet]
    where = ", ".join(f"{PROJECT.rel(f.post)}:{f.line}" for f in fences)
    assert snippet.is_file(), f"{where} executes {_id(snippet)}, which does not exist"
    options = {fence.run_options() for fence in fences}
    assert len(options) == 1, f"{where} run {_id(snippet)} with different options: {options}"
    (opts,) = options

    result = run_script(snippet.read_text(encoding="utf-8"), name=snippet.name, timeout=opts.timeout)

    problem = checks.verdict(result, opts)
    assert problem is None, f"{_id(snippet)} (run by {where}) {problem}"
    if request.config.getoption("update_examples"):
        for path in expected.update(snippet, result):
            print(f"rewrote {_id(path)} from {interpreter.describe()}")
    drift = expected.problems(snippet, result, root=PROJECT.root)
    assert not drift, f"{_id(snippet)} (run by {where}):\n" + "\n".join(drift)


class _SnippetFile(CodeExample):
    # pytest-examples' black check collapses black's own blank lines in .py files.
    def in_py_file(self) -> bool:
        return False


@pytest.mark.parametrize("snippet", snippets.snippet_files(), ids=_id)
def test_lint(snippet, eval_example: EvalExample):
    eval_example.set_config(line_length=88, target_version="py310", isort=True)
    example = _SnippetFile.create(snippet.read_text(encoding="utf-8"), path=snippet)
    if eval_example.update_examples:
        eval_example.format(example)
        eval_example.to_update.clear()  # written here, to the real file
        snippet.write_text(example.source, encoding="utf-8")
    else:
        eval_example.lint(example)
