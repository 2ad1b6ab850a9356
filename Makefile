# Everything runs from a project-local virtualenv that the targets create on
# first use, so `make serve` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

PORT ?= 8000

.PHONY: help install chromium java axe-core pythons serve build test ci-rehearsal nu lighthouse update-examples new-post zensical bench screenshots mutation clean

help:
	@echo "make serve [PORT=N]   set up, then preview the site with live reload"
	@echo "make test             set up, then run every test (strict build included)"
	@echo "make build            set up, then build the site into site/ (strict)"
	@echo "make ci-rehearsal [EVENT=push] [KEEP=1]  run the CI workflow's test job here, in a fresh clone (KEEP=1: keep the clone)"
	@echo "make zensical         build the same sources with Zensical into site/"
	@echo "make pythons          get CPython 3.13-3.15 from Debian unstable (root, Debian/Ubuntu)"
	@echo "make update-examples [SLUG=x]  rewrite expected outputs after a deliberate change"
	@echo "make new-post SLUG=x [TITLE=...]  start a post (draft) and its snippet folder"
	@echo "make mutation         mutation-test the executor (slow)"
	@echo "make screenshots      build, then PNGs of home, posts, tabs and a long output (desktop and phone, light and dark) into screenshots/"
	@echo "make nu               build, then check every page with the Nu HTML checker"
	@echo "make lighthouse       build, then Lighthouse's mobile performance score of the home page and the longest post"
	@echo "make bench [GROWTH=1]  time the build four ways and print ratios (GROWTH=1: warm build time and memory with 10, 50 and 200 more posts)"
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
	@if [ -z "$$PICKLED_STATE_CHROMIUM" ] && [ ! -x /usr/bin/chromium ]; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  if command -v apt-get >/dev/null && { [ -z "$$SUDO" ] || sudo -n true 2>/dev/null; }; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
	    { $$SUDO apt-get update -q >/dev/null 2>&1 && \
	      $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1; } || \
	    echo "could not install chromium: the browser tests will be skipped"; \
	  else echo "no apt-get or no root: the browser tests will be skipped"; fi; \
	fi

# The Nu HTML checker (scripts/nu_check.py, tests/test_valid_html.py) runs on Java.
java:
	@if ! command -v java >/dev/null; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  if command -v apt-get >/dev/null && { [ -z "$$SUDO" ] || sudo -n true 2>/dev/null; }; then \
	    echo "installing Debian's default-jre-headless for the Nu HTML checker"; \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q default-jre-headless >/dev/null 2>&1 || \
	    { $$SUDO apt-get update -q >/dev/null 2>&1 && \
	      $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q default-jre-headless >/dev/null 2>&1; } || \
	    echo "could not install Java: the Nu HTML check will be skipped"; \
	  else echo "no apt-get or no root: the Nu HTML check will be skipped"; fi; \
	fi

# Tools from npm, at pinned versions, in a project-local folder (never global):
# axe-core for the browser tests, Lighthouse for `make lighthouse`. Installed only
# when the version there differs; without npm, what needs them says so (a skip here,
# a failure under CI=true).
AXE_CORE_VERSION := 4.14.1
LIGHTHOUSE_VERSION := 12.2.3
NODE_TOOLS := .cache/node
NPM_INSTALL = npm install --prefix $(NODE_TOOLS) --save-exact --no-audit --no-fund --loglevel=error
installed = $$(cat $(NODE_TOOLS)/node_modules/$(1)/package.json 2>/dev/null | sed -n 's/^  "version": "\(.*\)",$$/\1/p')

axe-core:
	@if [ "$(call installed,axe-core)" != "$(AXE_CORE_VERSION)" ]; then \
	  if command -v npm >/dev/null; then \
	    echo "installing axe-core $(AXE_CORE_VERSION) from npm into $(NODE_TOOLS)"; \
	    $(NPM_INSTALL) axe-core@$(AXE_CORE_VERSION) || echo "could not install axe-core: the accessibility tests will be skipped"; \
	  else echo "no npm (apt-get install npm): the accessibility tests will be skipped"; fi; \
	fi

test: $(STAMP) chromium java axe-core pythons
	$(BIN)/python -m pytest

# The CI workflow's test job, step by step, in a fresh clone with CI=true
# (scripts/ci_rehearsal.py); EVENT=push also builds the site for GitHub Pages.
ci-rehearsal: $(STAMP)
	$(BIN)/python scripts/ci_rehearsal.py $(if $(EVENT),--event $(EVENT),) $(if $(KEEP),--keep,)

nu: $(STAMP) java
	$(BIN)/python scripts/nu_check.py

# Lighthouse 12 (13 needs Node 22), mobile, against the site served compressed on
# localhost; it says why and passes where Node.js or Chromium is missing.
lighthouse: $(STAMP) chromium
	@if [ "$(call installed,lighthouse)" != "$(LIGHTHOUSE_VERSION)" ] && command -v npm >/dev/null; then \
	  echo "installing Lighthouse $(LIGHTHOUSE_VERSION) from npm into $(NODE_TOOLS)"; \
	  $(NPM_INSTALL) lighthouse@$(LIGHTHOUSE_VERSION) || true; \
	fi
	$(BIN)/python scripts/lighthouse.py

update-examples: $(STAMP)
	SLUG=$(SLUG) $(BIN)/python -m pytest -q -s --update-examples tests/test_snippets.py

new-post: $(STAMP)
	$(BIN)/python scripts/new_post.py $(SLUG) $(if $(TITLE),--title "$(TITLE)",)

screenshots: $(STAMP) chromium
	$(BIN)/python scripts/screenshots.py

bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(if $(GROWTH),--growth --repeat 1 --cache .cache/snippet-runner,)

mutation: $(STAMP)
	$(BIN)/python scripts/mutation.py

clean:
	rm -rf $(VENV) site .site.lock .pytest_cache .cache
