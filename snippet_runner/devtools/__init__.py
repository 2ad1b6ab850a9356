"""Tools for working on this project (not part of a build): the preview server, a scratch
copy of the project, and `make pythons`."""

from pathlib import Path

#: This repository (the package is installed in editable mode).
PROJECT_ROOT = Path(__file__).resolve().parents[2]
