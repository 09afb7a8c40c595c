# Safelane: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
SAFELANE := $(BIN)/safelane
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs a second time against PostgreSQL at this address.
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/safelane

.PHONY: setup run test test-sqlite test-postgres lint bench lock messages clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements/dev.txt pyproject.toml scripts/setup.sh
	PYTHON=$(PYTHON) sh scripts/setup.sh
	@touch $@

run: setup
	@DEBUG=1 $(SAFELANE) migrate --no-input -v 0
	@DEBUG=1 $(SAFELANE) load_demo
	@echo
	@echo "Safelane is starting on http://$(HOST):$(PORT)/ (Ctrl+C stops it and the task worker)."
	@DEBUG=1 sh scripts/serve.sh $(HOST) $(PORT)

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/safelane makemigrations --check --dry-run --settings=safelane.settings_test

test-sqlite: setup
	$(BIN)/pytest -n 2 -q

test-postgres: setup
	sh scripts/test-postgres.sh "$(TEST_POSTGRES_URL)"

test: lint test-sqlite test-postgres

bench: setup
	$(BIN)/python -m bench

messages: setup
	cd src/safelane && ../../$(SAFELANE) makemessages -l es --no-obsolete --settings=safelane.settings_test
	cd src/safelane && ../../$(SAFELANE) compilemessages --settings=safelane.settings_test

lock:
	cd requirements && uv pip compile -q --generate-hashes --python-version 3.11 base.in -o base.txt
	cd requirements && uv pip compile -q --generate-hashes --python-version 3.11 dev.in -o dev.txt

clean:
	rm -rf $(VENV) var
