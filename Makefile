# Two commands for a newcomer: `make run` and `make test`. Both build .venv when missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# axe-core from the npm package, served to the browser tests from this folder (no CDN).
AXE := $(VENV)/node/node_modules/axe-core/axe.min.js

.PHONY: run test test-chaos bench lint fmt messages clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m mutasi.runner

$(AXE):
	command -v npm >/dev/null && npm install --silent --no-audit --no-fund --prefix $(VENV)/node axe-core@4.14.1 \
		|| echo "npm tidak ada: pemeriksaan aksesibilitas (axe-core) akan dilewati di luar CI"

test: lint $(AXE)
	$(PY) -m pytest -q

test-chaos: $(STAMP)
	$(PY) -m pytest -q -m chaos
	MUTASI_FUZZ_EXAMPLES=200 $(PY) -m pytest -q tests/test_fuzz.py

bench: $(STAMP)
	$(PY) -m bench

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# What the code and the pages newly say, added to both catalogs (mutasi/locale) to translate.
messages: $(STAMP)
	$(PY) -m mutasi.i18n.extract

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var bench/out .pytest_cache .ruff_cache
