# Everything runs from a project-local virtualenv that the targets create on
# first use, so `make serve` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

PORT ?= 8000

.PHONY: help install chromium pythons serve build test update-examples new-post zensical bench screenshots mutation clean

help:
	@echo "make serve [PORT=N]   set up, then preview the site with live reload"
	@echo "make test             set up, then run every test (strict build included)"
	@echo "make build            set up, then build the site into site/ (strict)"
	@echo "make zensical         build the same sources with Zensical into site/"
	@echo "make pythons          get CPython 3.13-3.15 from Debian unstable (root, Debian/Ubuntu)"
	@echo "make update-examples [SLUG=x]  rewrite expected outputs after a deliberate change"
	@echo "make new-post SLUG=x [TITLE=...]  start a post (draft) and its snippet folder"
	@echo "make mutation         mutation-test the executor (slow)"
	@echo "make screenshots      build, then PNGs of home and a post, light and dark, into screenshots/"
	@echo "make bench            time the build four ways and print ratios"
	@echo "make clean            remove the virtualenv, caches and build output"

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.X)")'
	@$(PYTHON) -m venv $(VENV) || { echo "could not create a virtualenv: on Debian/Ubuntu, apt-get install python3-venv"; exit 1; }
	@echo "installing the pinned requirements into $(VENV) (about a minute the first time)"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar off -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	@touch $@

# The newest CPythons come from Debian unstable, in a root filesystem outside the
# repo that examples run in through bubblewrap. Where that cannot work (not
# Linux, not root) it says why in one line and the missing versions are skipped
# (CI requires them: SNIPPET_PYTHONS_REQUIRED / CI=true).
pythons: $(STAMP)
	$(BIN)/python -m snippet_runner.devtools.pythons $(if $(CI),--require,)

serve: $(STAMP) pythons
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(PORT)

# Built in a private folder and moved into place only when the strict build
# passes; two builds at once wait for each other (snippet_runner/devtools/build_site.py).
build: $(STAMP) pythons
	$(BIN)/python -m snippet_runner.devtools.build_site

zensical: $(STAMP)
	$(BIN)/python scripts/zensical_build.py

# The browser tests drive Debian's Chromium (never a downloaded browser). Where
# it cannot be installed they are reported as skipped, with the reason.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  if command -v apt-get >/dev/null && { [ -z "$$SUDO" ] || sudo -n true 2>/dev/null; }; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
	    { $$SUDO apt-get update -q >/dev/null 2>&1 && \
	      $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1; } || \
	    echo "could not install chromium: the browser tests will be skipped"; \
	  else echo "no apt-get or no root: the browser tests will be skipped"; fi; \
	fi

test: $(STAMP) chromium pythons
	$(BIN)/python -m pytest

update-examples: $(STAMP)
	SLUG=$(SLUG) $(BIN)/python -m pytest -q --update-examples tests/test_snippets.py

new-post: $(STAMP)
	$(BIN)/python scripts/new_post.py $(SLUG) $(if $(TITLE),--title "$(TITLE)",)

screenshots: $(STAMP) chromium
	$(BIN)/python scripts/screenshots.py

bench: $(STAMP)
	$(BIN)/python scripts/bench.py

mutation: $(STAMP)
	$(BIN)/python scripts/mutation.py

clean:
	rm -rf $(VENV) site .site.lock .pytest_cache .cache
