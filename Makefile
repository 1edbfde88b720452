# The two commands a newcomer needs: `make demo` and `make test`. Both install what is missing.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
LABEXT_LINK := $(VENV)/share/jupyter/labextensions/facescope
BUILD_STAMP := facescope/labextension/app/facescope-app.js
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export FACESCOPE_CHROMIUM ?= /usr/bin/chromium

.PHONY: setup build demo test lint bench chromium ffmpeg clean

setup: node_modules/.installed $(VENV)/.installed chromium ffmpeg

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

build: setup
	npm run build
	npx webpack --config tests/harness/webpack.config.js
	@# Point the server at the live build output instead of the copy pip made.
	rm -rf $(LABEXT_LINK) && ln -s $(CURDIR)/facescope/labextension $(LABEXT_LINK)

# Jupyter refuses to run as root unless told; our machines (and many containers) are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

demo: build
	$(VENV)/bin/jupyter lab examples/quickstart.ipynb $(ALLOW_ROOT)

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
	$(PY) scripts/bench_analysis.py
	$(PY) scripts/bench_sync.py
	$(PY) scripts/bench_camera.py
	$(PY) scripts/bench_long.py
