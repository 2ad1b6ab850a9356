"""render.py: the HTML of executed outputs, checked on the strings it returns (fast, no build)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from snippet_runner.blog import render
from snippet_runner.executor.process import RunResult


def result(stdout="hi\n", stderr="", returncode=0, timed_out=False) -> RunResult:
    return RunResult(stdout, stderr, returncode, timed_out, 0.1, 60)


def shown(tab="3.10.13–3.15.2", **kwargs) -> render.Shown:
    return render.Shown(tab, f"CPython {tab} · Linux x86_64", result(**kwargs))


def placed(html: str, number: int = 1) -> str:
    """As fence.py places a block on its page: the token becomes the block's id."""
    return html.replace(render.ID, f"demo-hello-{number}")


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.excluded: list[str] = []  # tags carrying data-search-exclude

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if "data-search-exclude" in attrs:
            self.excluded.append(f"{tag}.{attrs.get('class', '')}")


def parse(html: str) -> Ids:
    parser = Ids()
    parser.feed(html)
    return parser


def test_one_frame_with_its_title():
    html = placed(render.outputs([shown()]))
    assert html.startswith('<div class="snippet-result" id="snippet-demo-hello-1">')
    assert (
        '<p class="snippet-output-label">Output · CPython 3.10.13–3.15.2 · Linux x86_64 · '
        "exit status 0</p>" in html
    )
    assert 'data-status="zero"' in html and "snippet-versions-tabs" not in html


@pytest.mark.parametrize(
    ("kwargs", "words", "state"),
    [
        ({"returncode": 1}, "exit status 1", "nonzero"),
        ({"returncode": None, "timed_out": True}, "stopped by the build", "stopped"),
    ],
)
def test_the_title_says_how_the_run_ended(kwargs, words, state):
    html = render.outputs([shown(**kwargs)])
    assert f"· {words}</p>" in html and f'data-status="{state}"' in html


def test_stdout_is_exactly_pre_code_for_fence_rendered():
    # fence._rendered replaces "<pre><code>TOKEN</code></pre>" with a rendering of stdout.
    html = render.outputs([shown(stdout="TOKEN")])
    assert html.count("<pre><code>TOKEN</code></pre>") == 1


def test_printed_text_is_escaped():
    html = render.outputs([shown(stdout="<script>x</script> & ```\n", stderr="<b>\n")])
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; ```" in html and "&lt;b&gt;" in html


def test_streams_are_named_only_when_both_show():
    alone = render.outputs([shown(stdout="out\n")])
    both = render.outputs([shown(stdout="out\n", stderr="err\n")])
    assert "snippet-stream-name" not in alone
    assert '<span class="snippet-stream-name">stdout</span>' in both
    assert '<span class="snippet-stream-name">stderr</span>' in both
    assert both.count("snippet-stream--named") == 2


def test_every_stream_has_its_own_id_across_tabs_and_blocks():
    # Material names each <pre> after its closest id, and its copy button copies by that
    # name: a shared id would make every tab's button copy the first tab.
    groups = [shown("3.10.13", stdout="a\n", stderr="e\n"), shown("3.13.18", stdout="b\n")]
    page = placed(render.outputs(groups), 1) + placed(render.outputs(groups), 2)
    ids = parse(page).ids
    assert len(ids) == len(set(ids)), ids
    streams = [i for i in ids if i.endswith(("-stdout", "-stderr"))]
    assert streams == [
        "snippet-demo-hello-1-1-stdout",
        "snippet-demo-hello-1-1-stderr",
        "snippet-demo-hello-1-2-stdout",
        "snippet-demo-hello-2-1-stdout",
        "snippet-demo-hello-2-1-stderr",
        "snippet-demo-hello-2-2-stdout",
    ]


def test_outputs_and_links_are_left_out_of_the_search_index():
    groups = [shown("3.10.13", stdout="a\n", stderr="e\n"), shown("3.13.18", stdout="b\n")]
    html = render.outputs(groups, footer=render.links("x.py", "/snippets/x.py", "https://r/x.py"))
    excluded = parse(html).excluded
    # Material's search tells elements apart by tag only: the attribute must sit on each
    # stream (no <div> inside), not only on the frame around them.
    assert excluded.count("div.snippet-stream snippet-stdout snippet-stream--named") == 1
    assert excluded.count("div.snippet-stream snippet-stderr snippet-stream--named") == 1
    assert excluded.count("div.snippet-stream snippet-stdout") == 1
    assert "p.snippet-links" in excluded and "div.tabbed-labels" in excluded
    for stream in re.findall(r'<div class="snippet-stream[^>]*>.*?</div>', html, re.S):
        assert "<div" not in stream[4:], stream


def test_tabs_one_per_group_named_by_their_versions():
    html = placed(render.outputs([shown("3.10.13–3.12.1"), shown("3.13.18–3.15.2")]))
    assert 'data-tabs="1:2"' in html
    labels = re.findall(r"<label [^>]*>(.*?)</label>", html)
    assert labels == ["CPython 3.10.13–3.12.1", "CPython 3.13.18–3.15.2"]
    assert html.count('type="radio"') == 2 and html.count("checked ") == 1


def test_links_have_no_separator_characters():
    html = render.links("x.py", "/snippets/x.py", "https://example.org/x.py")
    text = re.sub(r"<[^>]+>", "", html)
    assert text == "Download x.pyx.py in the repository"  # spaced by the stylesheet
    assert render.links("x.py", "/snippets/x.py", "").count("<a ") == 1


def test_a_long_output_folds_without_copy_buttons():
    lines = "".join(f"line {n}\n" for n in range(30))
    html = render.outputs([shown(stdout=lines)], fold=9)
    head, rest = html.split("<details", 1)
    assert '<div class="no-copy">' in head and "21 more lines</summary>" in rest
    assert "line 5</code>" in head and "line 6" not in head and "line 29" in rest


def test_versions_note_and_hang_note():
    html = render.outputs([shown()], versions=">=3.12", reason="new API", hangs_after=4)
    assert "Runs on CPython &gt;=3.12 only: new API" in html
    assert "stopped it after 4 seconds" in html
    assert "which this machine lacks" in render.not_run(">=3.99", "future")
