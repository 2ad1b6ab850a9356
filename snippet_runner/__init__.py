"""Run the blog's Python snippets as real scripts and render their output.

One job per module:

- ``settings``: paths, limits and the fixed run environment (one place).
- ``process``: run one script in a fresh interpreter, in its own process group.
- ``interpreter``: describe an interpreter ("CPython 3.11.7 · Linux").
- ``snippets``: find snippet files, their posts, and the fences that run them.
- ``expected``: committed expected outputs, ``...`` wildcards, diffs, updates.
- ``checks``: turn a run into a verdict (timeout, exit code, hang, drift).
- ``fence``: the markdown-exec formatter that MkDocs calls for each block.
"""

__version__ = "1.0.0"
