# Two entry points: `make site` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test check docs lint clean
export NO_MKDOCS_2_WARNING := 1

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Build site/ from content/ (creates .venv and installs on first use).
site: $(STAMP)
	$(BIN)/briefing build --strict

## Run the whole test suite.
test: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n auto --dist loadscope

## The edit loop: lint, types, import layers and the tests that build no site and open no browser.
check: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n auto --dist loadscope -m "not slow and not browser" --hypothesis-profile=check

## Generate docs/ only.
docs: $(STAMP)
	$(BIN)/briefing generate

clean:
	rm -rf site site-offline .briefing-cache
