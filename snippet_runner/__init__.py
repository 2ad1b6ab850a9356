"""Run the blog's Python snippets as real scripts and render their output.

One job per module:

- ``settings``: paths, limits and the fixed run environment (one place).
- ``process``: run one script in a fresh interpreter, in its own process group.
- ``interpreters``: find the configured CPython versions, label their outputs.
- ``cache``: results on disk, keyed by everything that can change them.
- ``results``: one result per job, from memory, cache or a run; parallel pre-runs.
- ``render``: Markdown for the outputs (one block, or tabs per version).
- ``snippets``: find snippet files, their posts, and the fences that run them.
- ``expected``: committed expected outputs, ``...`` wildcards, diffs, updates.
- ``checks``: turn a run into a verdict (timeout, exit code, hang, drift).
- ``fence``: the markdown-exec formatter that MkDocs calls for each block.
- ``series``, ``cards``: the series navigation and the link-preview images.
- ``workspace``: a copy of the project for builds that must not touch it.
- ``preview``: the built site served on localhost, and the Chromium that reads it.
- ``mkdocs_hooks``: run every block before pages render; series and cards.
"""

__version__ = "1.0.0"
