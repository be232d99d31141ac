# The README's two commands are `make demo` and `make test`; both install what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DB ?= data/sandbox.sqlite3
WEB := web

.PHONY: setup browser demo test lint micropython unit types docs mutation bench dist screenshots

setup: $(VENV)/.installed $(WEB)/runtime/.installed tests/clients/node_modules/.installed \
       tests/types/node_modules/.installed

# Exact versions from constraints.txt; pyproject.toml only states ranges.
$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $@

# The pinned PyScript, Pyodide and MicroPython from the npm registry (never a CDN) ...
$(WEB)/node_modules/.installed: $(WEB)/package.json $(WEB)/package-lock.json
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# ... and the files of them a page loads, where the sandbox serves them from (/runtime/):
# the same files the wheel's build step (setup.py) puts into the package.
$(WEB)/runtime/.installed: $(WEB)/node_modules/.installed $(VENV)/.installed \
                           $(addprefix iamport_sandbox/assets/,build.py layout.py compression.py)
	$(PY) -m iamport_sandbox.assets
	touch $@

# A published Node REST client, run unchanged against the sandbox by the tests.
tests/clients/node_modules/.installed: tests/clients/package.json tests/clients/package-lock.json
	cd tests/clients && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The pinned TypeScript that checks imp.esm.d.ts against the examples in tests/types.
tests/types/node_modules/.installed: tests/types/package.json tests/types/package-lock.json
	cd tests/types && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the end-to-end tests (Playwright's own download is not reachable here).
browser:
	@command -v chromium >/dev/null || { echo "installing Debian's chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The sandbox with the demo shop and the seed's three PG settings, on the embedded SQLite store.
demo: setup
	$(PY) -m iamport_sandbox --demo --host $(HOST) --port $(PORT) --db $(DB)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy --strict iamport_py iamport_sandbox

# The portable tests on MicroPython's WebAssembly build, in Node; it fails when it runs
# fewer tests than pytest collects from the same files.
PORTABLE_COUNT = $$($(PY) -m pytest --collect-only -q -p no:cacheprovider tests/portable | grep -c '::')

micropython: setup
	node tests/run_micropython.mjs --expect $(PORTABLE_COUNT)

# imp.esm.d.ts is the generator's output (the catalog's unions), and the seed's and the current
# guide's examples type-check against it, both forms (window.IMP, the module); the
# @ts-expect-error lines must stay errors.
types: setup
	@$(PY) -m iamport_sandbox.typings --check
	@tests/types/node_modules/.bin/tsc --noEmit -p tests/types || { echo "make types:" \
	  "tsc rejected the examples in tests/types against web/imp.esm.d.ts" \
	  "(errors above)"; exit 1; }

# The documentation site (mkdocs.yml, docs/): a broken link, a missing page or anchor fails
# (--strict); built into site/ (ignored). tests/test_docs.py checks what the pages load.
docs: setup
	$(PY) -m mkdocs build --strict --quiet --site-dir site

# Two workers (pytest-xdist): the unit and sandbox tests are independent (each its own
# SQLite file and app) and mostly CPU; the browser tests stay in one serial session.
XDIST = -n 2

unit: setup
	$(PY) -m pytest $(XDIST) tests

# Everything: lint, MicroPython, unit and end-to-end tests (Pyodide and MicroPython pages).
test: setup browser
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy --strict iamport_py iamport_sandbox
	node tests/run_micropython.mjs --expect $(PORTABLE_COUNT)
	$(MAKE) --no-print-directory types
	$(MAKE) --no-print-directory docs
	$(PY) -m pytest $(XDIST) tests
	$(PY) -m pytest e2e
	# The test kit's example suite, in its own session as a merchant's suite runs (it
	# starts its own Playwright, which cannot share a process with e2e's).
	$(PY) -m pytest examples

# Mutation testing, slow and so not in `make test`: mutmut (constraints.txt) changes the money
# and routing core (iamport_py/routing.py, validation.py, amounts.py) one edit at a time, in
# copies under build/mutation/, and runs their fast tests against each change; it prints the
# score (killed / mutants) and the survivors, and fails under 90 %.
# One module: make mutation MUTATION_ARGS="--module amounts".
mutation: setup
	$(PY) tests/mutation/run.py --fail-under 90 $(MUTATION_ARGS)

bench: setup browser
	$(PY) bench/startup.py
	# Issue 14: navigation -> the payment window visible, vs a bare PyScript page (the floor).
	$(PY) bench/window_time.py
	# Issue 13: the same on emulated 4G and slow 4G, cold and returning, vs a page like
	# iamport.js's (jQuery 1.12.4 from the npm registry, pinned in bench/reference).
	cd bench/reference && npm ci --no-audit --no-fund --loglevel=error
	$(PY) bench/network.py

# The docs' six pictures (docs/*.png) made again from a demo sandbox on a temporary store,
# driven in Debian's Chromium (e2e/screenshots.py); Hangul and emoji need Debian's Noto fonts.
screenshots: setup browser
	@fc-list :lang=ko family | grep -q . && fc-list :color=true family | grep -q . || { \
	  echo "installing Debian's Noto CJK and emoji fonts"; apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fonts-noto-color-emoji \
	  >/dev/null; }
	$(PY) -m e2e.screenshots --out docs

# The wheel (SDK + sandbox + browser assets + runtimes) into dist/.
dist: setup
	rm -rf build dist
	$(PY) -m pip wheel --quiet --no-deps -w dist .
	@ls -l dist
