# Switchboard: `make run` serves the gateway on 127.0.0.1:4000, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED_BENCH ?= ../shared/bench
CONFIG ?=

.PHONY: install run test lint typecheck contracts unit bench bench-faults clean

$(STAMP): pyproject.toml setup.py constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	# mypy does not follow the editable install's import hook: it finds the `switchboard` package
	# (the folder `src`, installed under that name by setup.py) through this link.
	mkdir -p $(VENV)/typing && ln -sfn ../../src $(VENV)/typing/switchboard
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/switchboard serve --host 127.0.0.1 --port 4000 $(if $(CONFIG),--config $(CONFIG))

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# Strict over all of src (the package `switchboard`), tests and bench, as pyproject.toml says. The
# bench scripts run as scripts (they import each other by file name), so they are checked as files.
typecheck: install
	$(BIN)/mypy -p switchboard -p tests
	$(BIN)/mypy bench

contracts: install
	$(BIN)/lint-imports

unit: install
	$(BIN)/pytest --cov --cov-report=term

test: lint typecheck contracts unit

bench: install
	bench/run.sh

# what faults cost, as figures (kill -9 loss, recovery times, cancellation latency): bench/faults.py
bench-faults: install
	$(BIN)/python bench/faults.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
