# Everything a fresh machine needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
VENDOR := portal/static/vendor
LANGS := da en ar uk tr ur

.PHONY: run test lint lock install assets catalogs translations-extract translations-update chromium wrk bench clean

# requirements.lock pins every Python package (direct and indirect) to the
# versions the suite last passed with; `make lock` refreshes it after a
# change to pyproject.toml.
$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

lock:
	rm -rf $(VENV).lock && $(PYTHON) -m venv $(VENV).lock
	$(VENV).lock/bin/pip install --quiet -e '.[dev]'
	$(VENV).lock/bin/pip freeze --exclude-editable | grep -v '^portal' > requirements.lock
	rm -rf $(VENV).lock

install: $(BIN)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.built: node_modules/.installed
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/dkfds $(VENDOR)/axe-core
	cp -r node_modules/dkfds/dist/css node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img node_modules/dkfds/dist/js $(VENDOR)/dkfds/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe-core/
	mkdir -p $(VENDOR)/noto-naskh-arabic
	cp node_modules/@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-400-normal.woff2 \
	   node_modules/@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-700-normal.woff2 \
	   node_modules/@fontsource/noto-naskh-arabic/LICENSE $(VENDOR)/noto-naskh-arabic/
	touch $@

assets: $(VENDOR)/.built

# Two gettext domains: "messages" (everything a family sees, in every
# shipped language) and "staff" (staff, referrer and association pages, in
# Danish and English). A file's domain follows from its folder:
# DOMAIN_OF_PREFIX in portal/i18n_tools.py.
catalogs: install
	$(BIN)/python -m portal.i18n_tools compile

translations-extract: install
	$(BIN)/python -m portal.i18n_tools extract

translations-update: install
	$(BIN)/python -m portal.i18n_tools update

# Debian's chromium for the browser tests; never a downloaded browser.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: browser tests will be skipped with that reason"; \
	  else echo "chromium missing and not root: browser tests will be skipped with that reason"; fi; }

run: install assets catalogs
	mkdir -p instance
	PORTAL_ENV=development $(BIN)/portal db upgrade
	PORTAL_ENV=development $(BIN)/portal seed-demo --if-empty
	PORTAL_ENV=development PORT=$(PORT) $(BIN)/gunicorn -c python:portal.gunicorn_conf --bind 127.0.0.1:$(PORT) wsgi:app

# ruff (pyflakes, bugbear, isort, security, gettext rules) and mypy, as
# configured in pyproject.toml.
lint: install
	$(BIN)/ruff check portal tests bench migrations
	$(BIN)/mypy

# The SQLite pass spreads over the CPUs (every test copies its own database
# file; the browser harness serves on a free port per worker). The
# PostgreSQL pass shares one database, so .ci/run sets PYTEST_WORKERS=0.
PYTEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 4 ] && n=4; echo $$n)

test: install assets catalogs chromium lint
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Debian's wrk, the load generator of `make bench` (docs/performance.md).
wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
	      || echo "wrk could not be installed: the bench cannot run"; \
	  else echo "wrk missing and not root: install it with apt-get install wrk"; fi; }

# One JSON object on stdout; BENCH_QUICK=1 for a short run.
bench: install assets catalogs wrk
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) instance
