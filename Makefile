# Two commands: `make run` starts everything, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Development defaults; production sets DEBUG=false and its secrets in the environment.
export DEBUG ?= true

.PHONY: run test install install-dev migrate seed messages bench clean

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

## run: web server, Celery worker and Celery beat together; Ctrl-C stops all three.
run: seed
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile.dev

## test: the whole suite. DATABASE_URL / REDIS_URL switch to PostgreSQL / Redis.
test: install-dev
	RENDEZ_VAR_DIR="$(CURDIR)/var/test" $(PY) manage.py compile_translations
	RENDEZ_VAR_DIR="$(CURDIR)/var/test" $(BIN)/pytest $(PYTEST_ARGS)

## messages: refresh the French and Hebrew catalogues after changing strings (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages --locale fr --locale he --ignore '.venv/*' --ignore 'var/*' --no-obsolete
	$(PY) manage.py compile_translations

## bench: timing scripts under bench/ (not tests); each prints its figures and a JSON line.
bench: install-dev
	$(PY) bench/availability.py
	$(PY) bench/loyalty.py

clean:
	rm -rf var/celery var/test var/mail
