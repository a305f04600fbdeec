# Kaohe: `make demo` serves the demo county; `make test` runs everything CI runs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export KAOHE_DATA_DIR ?= $(CURDIR)/data
# Browser tests drive Debian's Chromium; Playwright must never download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export KAOHE_CHROMIUM ?= /usr/bin/chromium
PG_HOST ?= 127.0.0.1
PG_PORT ?= 5432
# gettext compiles the translations; Pango and the Noto CJK fonts let WeasyPrint print Chinese
# PDFs; Chromium drives the browser tests and poppler turns PDFs into text and images in tests.
# Every target that runs tests installs APT_TEST first: the unit tests read PDFs with pdftotext too.
APT_RUNTIME := gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
APT_TEST := chromium poppler-utils

.PHONY: install system-deps system-deps-test apt-install assets messages messages-update static migrate demo serve lint test test-sqlite test-postgres test-e2e bench clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages the project needs beyond Python and Node: installed only when missing.
system-deps:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_RUNTIME)"

system-deps-test:
	@$(MAKE) --no-print-directory apt-install PACKAGES="$(APT_RUNTIME) $(APT_TEST)"

apt-install:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

messages: install system-deps
	cd kaohe && ../$(BIN)/django-admin compilemessages --ignore=.venv -v 0

static: install
	$(BIN)/kaohe collectstatic --noinput -v 0

migrate: install messages
	$(BIN)/kaohe migrate --noinput -v 0

demo: migrate static
	$(BIN)/kaohe demo build --if-empty
	$(BIN)/kaohe serve

serve: migrate static
	$(BIN)/kaohe serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy kaohe
	$(BIN)/lint-imports
	KAOHE_DATA_DIR=$$(mktemp -d) $(BIN)/kaohe makemigrations --check --dry-run

# The whole suite: lint, unit and integration tests on SQLite and on PostgreSQL, browser tests.
test: lint messages test-sqlite test-postgres test-e2e

test-sqlite: install messages system-deps-test
	DATABASE_URL= KAOHE_DATA_DIR=$$(mktemp -d) $(BIN)/pytest -m "not e2e" -q -p no:cacheprovider

test-postgres: install messages system-deps-test
	@url="$${DATABASE_URL:-postgres://postgres@$(PG_HOST):$(PG_PORT)/kaohe}"; \
	if ! $(BIN)/python -c "import psycopg,sys; psycopg.connect('$${url%/*}/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  if [ "$$CI" = "true" ]; then echo "PostgreSQL does not answer at $$url and CI=true: failing"; exit 1; fi; \
	  echo "PostgreSQL does not answer at $$url: skipping the PostgreSQL run (CI fails here)"; exit 0; \
	fi; \
	echo "PostgreSQL run on $$url"; \
	DATABASE_URL="$$url" KAOHE_DATA_DIR=$$(mktemp -d) $(BIN)/pytest -m "not e2e" -q -p no:cacheprovider

test-e2e: install messages system-deps-test
	DATABASE_URL= KAOHE_DATA_DIR=$$(mktemp -d) $(BIN)/pytest -m e2e -q -p no:cacheprovider tests/e2e

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scoring_bench.py
	$(BIN)/python bench/battlemap_load.py
	$(BIN)/python bench/deadline_rush.py
	$(BIN)/python bench/bulk_import.py

clean:
	rm -rf $(VENV) node_modules data .mypy_cache .ruff_cache

# After changing interface text: refresh the catalogue, translate the new entries, commit it.
messages-update: install
	cd kaohe && ../$(BIN)/django-admin makemessages -l zh_Hans --no-location --no-obsolete
