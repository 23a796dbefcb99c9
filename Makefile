# retrogait — the commands of the README.  Everything installs into a local virtual
# environment (.venv) on first use, so a fresh machine needs only Python 3 and make.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev
OUT ?= demo_output

.PHONY: help venv demo test lint docs bench clean

help:
	@echo "make demo   analyse the bundled forward and backward samples, write tables and plots to $(OUT)/"
	@echo "make test   run the whole test suite"
	@echo "make lint   ruff and mypy"
	@echo "make docs   build the documentation site (strict)"
	@echo "make bench  accuracy and speed benchmarks (needs ../shared/data for accuracy)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/retrogait demo --out $(OUT)

# pytest exits 5 when it collected no test; make turns every non-zero exit into a failure.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/mkdocs build --strict

bench: $(STAMP)
	$(BIN)/python benchmarks/accuracy.py
	$(BIN)/python benchmarks/speed.py

clean:
	rm -rf $(VENV) $(OUT) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
