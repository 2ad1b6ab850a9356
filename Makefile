# Everything runs from a project-local virtualenv that the targets create on
# first use, so `make serve` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help serve build test update-examples clean

help:
	@echo "make serve            set up, then preview the site with live reload"
	@echo "make test             set up, then run every test (strict build included)"
	@echo "make build            set up, then build the site into site/ (strict)"
	@echo "make update-examples  rewrite expected outputs after a deliberate change"
	@echo "make clean            remove the virtualenv and build output"

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.X)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	@touch $@

serve: $(STAMP)
	$(BIN)/mkdocs serve

build: $(STAMP)
	$(BIN)/mkdocs build --strict

test: $(STAMP)
	$(BIN)/python -m pytest

update-examples: $(STAMP)
	$(BIN)/python -m pytest --update-examples tests/test_snippets.py

clean:
	rm -rf $(VENV) site .pytest_cache
