# Two commands: `make run` and `make test`. Both build .venv from pyproject.toml.
# The Pythons every pinned dependency supports (pyproject.toml's requires-python);
# CI tests the first. PYTHON is the first of python3.11 ... python3.14, then python3,
# that runs and is one of them (a pyenv shim of a version not selected does not run).
PYTHON_VERSIONS := 3.11 3.12 3.13 3.14
PYTHON_SUPPORTED := import sys; sys.exit("%d.%d" % sys.version_info[:2] not in "$(PYTHON_VERSIONS)".split())
PYTHON ?= $(shell for p in $(addprefix python,$(PYTHON_VERSIONS)) python3; do \
	$$p -c '$(PYTHON_SUPPORTED)' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
# The development server runs with DEBUG on (development SECRET_KEY, console email).
DEV_ENV := DEBUG=$${DEBUG:-1}
# The Nu HTML checker for tests/test_html_valid.py (npm package; runs on Java 17).
VNU_VERSION := 26.9.27

.PHONY: run test bench install install-dev lint format clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Trellis needs one of Python $(PYTHON_VERSIONS)" \
		"(CI tests 3.11) and found none. Install one, or set PYTHON=/path/to/python3.x."; exit 1; }
	@$(PYTHON) -c '$(PYTHON_SUPPORTED)' 2>/dev/null || { echo "PYTHON=$(PYTHON)" \
		"($$($(PYTHON) -V 2>&1)) cannot build .venv:" \
		"Trellis needs one of Python $(PYTHON_VERSIONS) (CI tests 3.11)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# Without npm (a bare machine) the HTML check is skipped locally; CI installs npm first.
$(VENV)/.installed-vnu-$(VNU_VERSION): $(BIN)/python
	@if command -v npm >/dev/null 2>&1; then \
		npm install --no-save --no-audit --no-fund --silent --prefix $(VENV)/vnu \
			vnu-jar@$(VNU_VERSION) && touch $@; \
	else echo "npm not found: tests/test_html_valid.py will be skipped (CI requires it)."; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(VENV)/.installed-vnu-$(VNU_VERSION)

run: install
	mkdir -p var/celery-broker/processed var/celery-broker/control
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo --if-empty
	@echo "Scheduled jobs: Celery worker + beat (log: var/celery.log)"
	@# Stop the worker when the server stops (Ctrl-C included). Not `kill 0`:
	@# that signals make and this shell too, and dash re-enters the trap until it crashes.
	@$(DEV_ENV) $(BIN)/celery -A config worker --beat --concurrency=1 --loglevel=INFO \
		--scheduler django_celery_beat.schedulers:DatabaseScheduler > var/celery.log 2>&1 & \
	celery_pid=$$!; \
	trap 'kill $$celery_pid 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install-dev
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

# Performance budgets on a 2,000-engineer org in its own database, then a 60 s load
# run under wrk (Debian package); bench/README.md says how to read the results.
# BENCH_ARGS="--load-seconds 20", "--no-load", "--rebuild", "--profile 'plan:engineer'".
bench: install-dev
	@command -v wrk >/dev/null 2>&1 || echo "wrk not found: the load run is skipped (apt-get install wrk)."
	DJANGO_SETTINGS_MODULE=config.settings_bench $(BIN)/python manage.py bench $(BENCH_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports --no-logo

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache
