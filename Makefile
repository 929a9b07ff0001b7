# Schools safeguarding portal. `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN = $(VENV)/bin
PY = $(BIN)/python
TEST_COMMAND = $(BIN)/pytest

.DEFAULT_GOAL := help
.PHONY: help run serve test lint format check worker bench clean

help: ## Show the targets and what they do
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed ## Install, migrate, load demo data and serve on http://127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000 (stop with Ctrl+C)"
	$(PY) manage.py runserver 127.0.0.1:8000

serve: $(VENV)/.installed ## Serve without migrating or seeding
	$(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.dev-installed ## Run the whole test suite (browser tests skip without /usr/bin/chromium)
	$(TEST_COMMAND)

lint: $(VENV)/.dev-installed ## Check code style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed ## Fix code style with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(VENV)/.installed ## Django system checks and a check for missing migrations
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

worker: $(VENV)/.installed ## Run a Celery worker with beat against CELERY_BROKER_URL
	@test -n "$$CELERY_BROKER_URL" || (echo "Set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0" >&2; exit 2)
	$(BIN)/celery -A portal worker -B --loglevel=INFO

bench: $(VENV)/.dev-installed ## Run every benchmark (about 25 min; PostgreSQL, Redis, wrk) and append to bench/RESULTS.md
	$(PY) bench/run.py
	$(PY) bench/audits.py
	$(PY) bench/action_plans.py
	$(PY) bench/complaints.py
	$(PY) bench/hub.py
	$(PY) bench/qpag.py
	$(PY) bench/pages.py county national
	$(PY) bench/http_load.py

clean: ## Remove the virtualenv, local database and collected files
	rm -rf $(VENV) db.sqlite3 staticfiles .test-media
