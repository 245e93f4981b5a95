# Two commands from a fresh machine (Python 3.11 + pip): `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(abspath $(VENV))/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)            ## install, then run the whole pipeline (dvc repro)
	PATH="$(BIN):$$PATH" $(BIN)/dvc repro

test: $(STAMP)           ## install, then run the test suite (what CI runs)
	PATH="$(BIN):$$PATH" $(BIN)/python -m pytest

bench: $(STAMP)          ## benchmarks (not part of CI's default run)
	PATH="$(BIN):$$PATH" $(BIN)/python -m pytest tests/benchmarks --benchmark-only -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check src pipeline tests benchmarks scripts

clean:
	rm -rf $(VENV) data/processed data/interim reports models .pytest_cache
