# Two commands: `make run` starts everything, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Development defaults; production sets DEBUG=false and its secrets in the environment.
export DEBUG ?= true

.PHONY: run test lint format test-faults audit install install-dev migrate seed messages bench bench-quick bench-growth bench-history clean

$(BIN)/.runtime: requirements.txt
	$(PYTHON) -c 'import sys; sys.exit("Rendez needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(BIN)/.dev: requirements-dev.txt $(BIN)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.runtime
install-dev: $(BIN)/.dev

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compile_translations

seed: migrate
	$(PY) manage.py seed_demo

## run: web server, Celery worker and Celery beat together (bin/run); Ctrl-C, or SIGTERM to make,
## stops all three. exec: make's child is bin/run itself, so the SIGTERM make passes on reaches it.
run: seed
	exec $(PY) bin/run

## test: the whole suite. DATABASE_URL / REDIS_URL switch to PostgreSQL / Redis. TEST_VAR_DIR
## lets two runs (CI's SQLite and PostgreSQL passes) work side by side without sharing files.
TEST_VAR_DIR ?= $(CURDIR)/var/test
test: install-dev
	RENDEZ_VAR_DIR="$(TEST_VAR_DIR)" $(PY) manage.py compile_translations
	RENDEZ_VAR_DIR="$(TEST_VAR_DIR)" $(BIN)/pytest $(PYTEST_ARGS)

## lint: ruff's checks (pyflakes, pycodestyle, isort, bugbear, pyupgrade, Django) and its format,
## as pyproject.toml sets them; fails on any finding. `make format` applies both fixes.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## test-faults: the fault suite (tests/faults): real gunicorn, Celery, beat, and a private
## PostgreSQL and Redis that it stops, kills and restarts. Needs redis-server and PostgreSQL 15.
test-faults: install-dev
	RENDEZ_VAR_DIR="$(CURDIR)/var/test" $(BIN)/pytest tests/faults -m faults $(PYTEST_ARGS)

## audit: known vulnerabilities in the pinned dependencies (pip-audit, PyPI's advisory data).
## Where that data cannot be reached every pin is listed as skipped; AUDIT_ARGS=--strict fails then.
audit: install-dev
	$(BIN)/pip-audit --requirement requirements-dev.txt --progress-spinner off $(AUDIT_ARGS)

## messages: refresh the French and Hebrew catalogues after changing strings (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages --locale fr --locale he --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(PY) manage.py compile_translations

## bench: every script under bench/ on SQLite and on PostgreSQL + Redis (under 20 min), then the
## table, also written into bench/README.md. BENCH_DATABASE_URL / BENCH_REDIS_URL: see bench/README.md.
bench: $(BIN)/.bench
	$(PY) bench/suite.py --readme results

## bench-quick: the same at a tenth of the data, in a few minutes; bench/README.md is left alone.
bench-quick: $(BIN)/.bench
	$(PY) bench/suite.py --quick

## bench-growth: the cheaper scripts at ten times the data, beside the last `make bench`.
bench-growth: $(BIN)/.bench
	$(PY) bench/suite.py --scale 10 --only web,availability,dispatch --against auto --readme growth

## bench-history: today's pages with one and with ten times the past (bench/history.py), both
## backends; the past grows inside the script, so it needs no --scale (about 15 min).
bench-history: $(BIN)/.bench
	$(PY) bench/suite.py --only history

$(BIN)/.bench: bench/requirements.txt $(BIN)/.dev
	$(PY) -m pip install --quiet -r bench/requirements.txt
	touch $@

clean:
	rm -rf var/celery var/test var/mail
