# Two commands: `make run` and `make test`. Both build .venv from pyproject.toml.
# python3.11 when it is installed beside another default python3.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo python3)
VENV := .venv
BIN := $(VENV)/bin
# The development server runs with DEBUG on (development SECRET_KEY, console email).
DEV_ENV := DEBUG=$${DEBUG:-1}

.PHONY: run test install install-dev lint format clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Trellis needs Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	mkdir -p var/celery-broker/processed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo --if-empty
	@echo "Scheduled jobs: Celery worker + beat (log: var/celery.log)"
	@# Stop the worker when the server stops (Ctrl-C included). Not `kill 0`:
	@# that signals make and this shell too, and dash re-enters the trap until it crashes.
	@$(DEV_ENV) $(BIN)/celery -A config worker --beat --concurrency=1 --loglevel=INFO \
		--schedule=var/celerybeat-schedule > var/celery.log 2>&1 & \
	celery_pid=$$!; \
	trap 'kill $$celery_pid 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache
