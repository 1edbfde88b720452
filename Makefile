# The two commands a newcomer needs: `make demo` and `make test`. Both install what is missing.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
LABEXT_LINK := $(VENV)/share/jupyter/labextensions/facescope
# Stamps, not webpack's outputs: webpack leaves an unchanged file untouched, so its date says nothing.
BUILD_STAMP := build/.frontend-built
HARNESS_STAMP := build/.harness-built
FRONTEND_SOURCES := $(shell find src style scripts/webpack -type f 2>/dev/null) webpack.config.js \
	package.json package-lock.json tsconfig.json tsconfig.lab.json scripts/build-labextension.js
DEMO_NOTEBOOK := build/demo/quickstart.ipynb
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export FACESCOPE_CHROMIUM ?= /usr/bin/chromium

.PHONY: setup build demo test lint bench chromium ffmpeg iproute2 clean

setup: node_modules/.installed $(VENV)/.installed chromium ffmpeg iproute2

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,demo,headless]'
	touch $@

# Debian's Chromium: the browser the tests drive and the headless analyser uses.
chromium:
	@test -x $(FACESCOPE_CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Debian's ffmpeg: tests build their odd clips with it (rotated, truncated, variable frame rate…).
ffmpeg:
	@test -x /usr/bin/ffmpeg || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg; }

# iproute2's `ip`: the offline test brings loopback up in a network namespace of its own.
iproute2:
	@command -v ip >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2; }

# Rebuilt only when a front-end source changed (or the build output is gone).
$(BUILD_STAMP): node_modules/.installed $(VENV)/.installed $(FRONTEND_SOURCES)
	npm run build
	@mkdir -p build && touch $@

$(HARNESS_STAMP): $(BUILD_STAMP) $(wildcard tests/harness/*)
	npx webpack --config tests/harness/webpack.config.js
	@touch $@

build: setup $(BUILD_STAMP) $(HARNESS_STAMP)
	@test -f facescope/labextension/app/facescope-app.js || { rm -f $(BUILD_STAMP) && $(MAKE) $(BUILD_STAMP); }
	@# Point the server at the live build output instead of the copy pip made.
	@rm -rf $(LABEXT_LINK) && ln -s $(CURDIR)/facescope/labextension $(LABEXT_LINK)

# Jupyter refuses to run as root unless told; our machines (and many containers) are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

# The demo opens a copy of the quickstart, so its outputs never land in the tracked notebook; the
# copy is renewed when the tracked quickstart is newer (an old copy would show an old demo).
demo: setup $(BUILD_STAMP)
	@rm -rf $(LABEXT_LINK) && ln -s $(CURDIR)/facescope/labextension $(LABEXT_LINK)
	@mkdir -p $(dir $(DEMO_NOTEBOOK)) && { test $(DEMO_NOTEBOOK) -nt examples/quickstart.ipynb || cp examples/quickstart.ipynb $(DEMO_NOTEBOOK); }
	$(VENV)/bin/jupyter lab $(DEMO_NOTEBOOK) $(ALLOW_ROOT)

# ruff (lint and format check), biome (lint) and tsc --noEmit, each run to the end; needs no build.
lint: node_modules/.installed $(VENV)/.installed
	$(PY) scripts/lint.py

test: build
	@mkdir -p build/reports
	@set +e; \
	$(PY) scripts/lint.py --report build/reports/lint.json; lint=$$?; \
	npx jest --json --outputFile=build/reports/jest.json; js=$$?; \
	$(PY) -m pytest --junitxml=build/reports/pytest.xml; py=$$?; \
	$(PY) scripts/summarize_tests.py build/reports/jest.json build/reports/pytest.xml build/reports/lint.json; sum=$$?; \
	[ $$lint -eq 0 ] && [ $$js -eq 0 ] && [ $$py -eq 0 ] && [ $$sum -eq 0 ]

clean:
	rm -rf build lib facescope/static facescope/labextension

bench: build
	$(PY) scripts/bench_user_path.py
	$(PY) scripts/bench_analysis.py
	$(PY) scripts/bench_sync.py
	$(PY) scripts/bench_camera.py
	$(PY) scripts/bench_long.py
	$(PY) scripts/bench_corpus.py
	$(PY) scripts/bench_notebook.py
	$(PY) scripts/bench_hosts.py
