"""The build code of the Pickled State blog, in three parts with one job each.

``executor``: runs a snippet as a real script and judges its output. It knows
nothing of MkDocs or of the blog (a second site could use it as it is):

- ``config``: the settings, read once into one frozen object; one on/off parser.
- ``options``: a block's run options (one parser) and the verdict on a run.
- ``sandbox``: the bubblewrap command a run goes through, and whether it works here.
- ``process``: run one script, capture its output, kill everything it started.
- ``interpreters``: find the configured CPythons (PATH, pyenv, Debian-unstable rootfs).
- ``cache``: results on disk, validated when read.
- ``runner``, ``schedule``: one result per job, from memory, the cache or a run;
  parallel runs ordered and admitted by what they cost.
- ``matcher``, ``redact``, ``expected``: expected-output files and how they match.

``blog``: the site's features, on top of the executor:

- ``layout``: the site's folders and URLs, from mkdocs.yml.
- ``posts``: posts, their fences, the snippet files those fences include.
- ``build``: one Build object per build, holding all of a build's state.
- ``extension``: the Markdown extension MkDocs and Zensical both load.
- ``fence``: the superfences formatter for executed blocks (markdown-exec's options).
- ``printed``: printed Markdown/HTML rendered on request, and its allow-list.
- ``render``: the HTML of outputs.
- ``quote``: prose that quotes what a snippet printed.
- ``series``, ``cards``, ``publish``: series box and list, card images, downloads.
- ``mkdocs_hooks``: what only MkDocs needs (one Build per build, after-build work).

``devtools``: `make pythons`, `make build` (a locked private folder), the preview
server, a scratch copy of the project.
"""

__version__ = "2.0.0"
