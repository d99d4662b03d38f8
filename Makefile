# The two commands of the README: `make demo` and `make test`.
# Each creates .venv on first use (or when pyproject.toml changes).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test test-fast guards bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[demo]"
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,demo]"
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test,demo,bench]"
	touch $@ $(VENV)/.installed-test $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/python -m skembed.demo

# pytest exits 5 when it collects no test: make treats that as a failure.
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

# The cross-cutting tests a branch that changes outputs most often breaks
# without noticing (pins, saved models, CLI digests, docs, README, layers).
GUARDS := tests/test_pinned_outputs.py tests/persist/test_saved_files.py \
	tests/test_cli.py tests/test_docs.py tests/test_readme.py \
	tests/test_import_rules.py tests/test_fitted_state.py
guards: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q $(GUARDS) $(PYTEST_ARGS)

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache

# `make docs`: offline HTML build (warnings are errors), gallery executed.
docs: $(VENV)/.installed-test
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html
