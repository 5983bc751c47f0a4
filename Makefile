# NQ57 — `make run` sets everything up and starts the system; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Development defaults; production sets its own environment (see README).
export DEBUG ?= 1

.PHONY: bench bench-import run serve loadtest nginx backup drill-db-restart drill-worker-kill setup test lint typecheck layers checks pytest lock messages makemessages demo browser-deps clean

$(VENV)/.installed: requirements-dev.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(VENV)/.installed
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

setup: $(VENV)/.installed node_modules/.installed messages
	$(MANAGE) migrate --noinput -v0

demo: setup
	$(MANAGE) load_demo

## run: set up, load the demo data once, start the web server and the background worker
run: demo
	@echo "NQ57: http://$(HOST):$(PORT)  (demo accounts: password nq57-demo)"
	@trap 'kill 0' EXIT INT TERM; \
	$(MANAGE) db_worker & \
	$(MANAGE) runserver $(HOST):$(PORT)

## test: lint, type check, layers and dead code, Django checks, then the whole test suite
## (DATABASE_URL picks the database)
test: lint typecheck layers checks pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy .

## layers: which app may import which, no import cycle inside an app, no dead code
## (contracts and allow-lists in pyproject.toml, vulture_allowlist.py; docs/architecture.md)
layers: $(VENV)/.installed
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/vulture

checks: $(VENV)/.installed node_modules/.installed messages
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run -v0

browser-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-writer"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian's$$missing for the browser and document tests"; \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; fi

pytest: $(VENV)/.installed node_modules/.installed messages browser-deps
	$(VENV)/bin/pytest --create-db -q

## bench: the national-size benchmark on PostgreSQL (DATABASE_URL, else nq57_bench on 127.0.0.1;
## the dataset is generated once, a few minutes, then reused); BENCH_ARGS="--runs 9" etc.
bench: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=nq57.settings $(PY) -m bench.national $(BENCH_ARGS)

## bench-import: import a generated 10,000-row task file (own database: var/bench/, or DATABASE_URL)
bench-import: $(VENV)/.installed
	NQ57_VAR_DIR=$(CURDIR)/var/bench DJANGO_SETTINGS_MODULE=nq57.settings $(PY) -m bench.task_import

## lock: re-pin the Python packages after editing pyproject.toml
lock: $(VENV)/.installed
	$(VENV)/bin/pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml -p 3.11 --generate-hashes -o requirements.lock -q
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev -p 3.11 --generate-hashes -o requirements-dev.lock -q

makemessages: $(VENV)/.installed
	$(MANAGE) makemessages -l vi -l en --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules var

## serve: the production stack on one machine (deploy/serve.sh): PostgreSQL (DATABASE_URL, default
## nq57_serve on 127.0.0.1), two gunicorn app servers, the worker, nginx with TLS on
## https://127.0.0.1:8443, Redis as the shared cache; SERVE_DEMO=1 loads the demo data
serve: $(VENV)/.installed node_modules/.installed nginx
	bash deploy/serve.sh

nginx:
	@command -v nginx >/dev/null || { echo "Installing Debian's nginx-light for make serve"; \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq nginx-light; }

## loadtest: the deadline hour against make serve's stack (bench/loadtest): 130 communes
## arriving over 10 minutes; LOADTEST_ARGS="--communes 40 --window 60" etc.
loadtest: $(VENV)/.installed node_modules/.installed nginx
	$(PY) -m bench.loadtest.run $(LOADTEST_ARGS)

## backup: the database and the uploaded/generated files in one archive (var/backups/)
backup: $(VENV)/.installed
	$(MANAGE) backup

## drill-db-restart / drill-worker-kill: the fault drills against make serve's stack (bench/drills.py);
## the database drill restarts the machine's PostgreSQL (every database on it): never in CI
drill-db-restart: $(VENV)/.installed node_modules/.installed nginx
	$(PY) -m bench.drills db-restart $(DRILL_ARGS)

drill-worker-kill: $(VENV)/.installed node_modules/.installed nginx
	$(PY) -m bench.drills worker-kill $(DRILL_ARGS)
