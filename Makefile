# The README's two commands: `make run` and `make test`. Only Python 3.11+ and make needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# axe-core for the browser tests' accessibility checks (package.json); npm ci leaves this file.
NODE_STAMP := node_modules/.package-lock.json
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint format messages bench install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Without npm the accessibility tests are skipped locally (and fail under CI=true).
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: the accessibility tests (axe-core) will be skipped"; fi

install: $(STAMP) $(NODE_STAMP)

run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_admin
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite; browser tests run when Chromium is installed (and must, under CI=true).
test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest

test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Needs GNU gettext; the compiled .mo is committed so a fresh clone does not.
messages: $(STAMP)
	$(PY) manage.py makemessages --locale zh_Hans --ignore ".venv/*" --ignore "node_modules/*" --ignore "test-artifacts/*"
	$(PY) manage.py compilemessages --locale zh_Hans --ignore ".venv/*"

# Speed benchmarks (docs/performance.md); votes.py needs wrk, PostgreSQL and Redis on loopback.
bench: $(STAMP)
	$(PY) bench/live.py
	$(PY) bench/votes.py

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts
