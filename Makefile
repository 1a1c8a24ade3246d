# Two commands set everything up on a fresh machine: `make run` and `make test`.
# `make run` installs only what serving needs; `make test` adds the dev extras (torch for st:
# encoders, pytest, selenium, ruff).
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
HASH    := $(shell cat pyproject.toml | sha1sum | cut -c1-12)
RUN_STAMP := $(VENV)/.installed-run-$(HASH)
DEV_STAMP := $(VENV)/.installed-dev-$(HASH)
HOST    ?= 127.0.0.1
PORT    ?= 8000

.PHONY: install install-dev run test bench bench-scale eval reference lint clean

$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	rm -f $(VENV)/.installed-run-*; touch $(RUN_STAMP)

$(DEV_STAMP): $(RUN_STAMP)
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-dev-*; touch $(DEV_STAMP)

install: $(RUN_STAMP)

install-dev: $(DEV_STAMP)

run: install
	$(BIN)/talksearch build --if-stale
	$(BIN)/talksearch serve --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/index_bench.py
	$(BIN)/python bench/load.py

eval: install-dev
	$(BIN)/talksearch build --if-stale
	$(BIN)/talksearch eval

# The old ranking (commit bf93a30) of every dev query, for the "old hybrid" column of `make eval`.
reference: install-dev
	$(BIN)/python eval/make_reference.py

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

# Scale benchmark (bench/scale.py): TALKS synthetic talks through the real add/build/engine/batch code.
TALKS ?= 10000
bench-scale: install
	$(BIN)/python bench/scale.py --talks $(TALKS) --json
