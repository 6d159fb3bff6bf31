# Switchboard: `make run` serves the gateway on 127.0.0.1:4000, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED_BENCH ?= ../shared/bench
CONFIG ?=

.PHONY: install clis run test lint typecheck contracts unit bench bench-faults clean

$(STAMP): pyproject.toml setup.py constraints.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	# mypy does not follow the editable install's import hook: it finds the `switchboard` package
	# (the folder `src`, installed under that name by setup.py) through this link.
	mkdir -p $(VENV)/typing && ln -sfn ../../src $(VENV)/typing/switchboard
	touch $(STAMP)

install: $(STAMP)

# The real agent CLIs the acceptance tests drive through the gateway (tests/acceptance/clients),
# pinned, from npm, into .tools/clis (nothing is downloaded when the tests run).
CLAUDE_CODE_VERSION := 2.1.337
CODEX_VERSION := 0.171.0
CLIS := .tools/clis
CLIS_STAMP := $(CLIS)/.installed-$(CLAUDE_CODE_VERSION)-$(CODEX_VERSION)

$(CLIS_STAMP):
	rm -rf $(CLIS) && mkdir -p $(CLIS)
	npm install --prefix $(CLIS) --no-audit --no-fund --no-save \
		@anthropic-ai/claude-code@$(CLAUDE_CODE_VERSION) @openai/codex@$(CODEX_VERSION)
	$(CLIS)/node_modules/.bin/claude --version && $(CLIS)/node_modules/.bin/codex --version
	touch $@

clis: $(CLIS_STAMP)

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

test: lint typecheck contracts clis unit

bench: install
	bench/run.sh

# what faults cost, as figures (kill -9 loss, recovery times, cancellation latency): bench/faults.py
bench-faults: install
	$(BIN)/python bench/faults.py

clean:
	rm -rf $(VENV) .tools build *.egg-info src/*.egg-info
