# The two set-up commands: `make run` (the site on the embedded default) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install dev test test-sqlite test-postgres browser lint check bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.dev-installed

run: install
	DEBUG=true $(BIN)/rxplain migrate --noinput
	DEBUG=true $(BIN)/rxplain load_content content/isotretinoin
	@echo ""
	@echo "  Rxplain is ready at http://$(HOST):$(PORT)/   (admin: http://$(HOST):$(PORT)/admin/, API: http://$(HOST):$(PORT)/api/docs)"
	@echo ""
	DEBUG=true $(BIN)/rxplain runserver $(HOST):$(PORT)

# Debian's Chromium drives the browser tests; installed here when missing and we are allowed to (root + apt).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	  || echo "chromium not installed: browser tests will be skipped (required when CI=true)"; }

test: dev browser test-sqlite test-postgres

test-sqlite:
	$(BIN)/python -m pytest

# The same suite on PostgreSQL when a server answers; required under CI=true.
test-postgres:
	@if $(BIN)/python scripts/reachable.py postgres "$(PG_URL)"; then \
	  DATABASE_URL="$(PG_URL)" $(BIN)/python -m pytest -m "not browser" -p no:cacheprovider; \
	elif [ "$$CI" = "true" ]; then echo "error: PostgreSQL is required when CI=true but $(PG_URL) does not answer"; exit 1; \
	else echo "SKIPPED the PostgreSQL run: no server answers at $(PG_URL)"; fi

lint: dev
	$(BIN)/ruff check .

check: lint test

bench: install
	$(BIN)/python bench/answers_eval.py
	$(BIN)/python bench/answers_speed.py
	$(BIN)/python bench/triage_eval.py
	$(BIN)/python bench/triage_speed.py

clean:
	rm -rf var test-artifacts .pytest_cache
