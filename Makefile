# Roundtable: every target bootstraps what it needs from a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes: two by default (this project's machines have two cores).
TEST_WORKERS ?= 2
PYTEST_ARGS ?=

export ROUNDTABLE_VAR_DIR ?= $(CURDIR)/var

.PHONY: install demo serve test test-postgres test-fast bench lint format messages chromium clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,prod]'
	touch $(STAMP)

demo: install
	mkdir -p var
	$(BIN)/roundtable migrate --no-input
	$(BIN)/roundtable demo
	$(BIN)/roundtable serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/roundtable serve --host $(HOST) --port $(PORT)

chromium:
	@sh scripts/ensure-chromium.sh

test: install chromium
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-postgres: install chromium
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Unit and integration tests only, for a quick loop while editing.
test-fast: install
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not browser" $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

format: install
	$(BIN)/ruff check --fix src tests bench scripts
	$(BIN)/ruff format src tests bench scripts

# Re-extract and compile the translation catalogues (needs GNU gettext).
messages: install
	cd src/roundtable && ../../$(BIN)/roundtable makemessages -l ar -l zh_Hans -l fr -l ru -l es --no-obsolete --ignore 'analysis/*'
	cd src/roundtable && ../../$(BIN)/roundtable compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
