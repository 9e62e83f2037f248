# qualcode: `make run` opens the demo project; `make test` lints, type-checks and tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := exports/demo.qualcode.db

.PHONY: run test lint typecheck floors pytest bench bench-peers demo setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/qualcode demo --project $(DEMO)

run: demo
	$(BIN)/qualcode --project $(DEMO)

lint: $(STAMP)
	$(BIN)/ruff check qualcode tests
	$(BIN)/ruff format --check qualcode tests

typecheck: $(STAMP)
	$(BIN)/mypy qualcode

# the import contracts in pyproject.toml: faces -> domain -> store, faces write no SQL
floors: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck floors pytest

bench: $(STAMP)
	@mkdir -p exports/bench
	@for f in tests/bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

# qualcode next to qc and Taguette (tests/bench/peers/); each peer in a venv of its own
PEERS := exports/bench/peers
QC_VERSION := 1.7.8
TAGUETTE_VERSION := 1.5.2

$(PEERS)/qc/.installed:
	test -x $(PEERS)/qc/bin/python || $(PYTHON) -m venv $(PEERS)/qc
	$(PEERS)/qc/bin/python -m pip install --quiet 'qualitative-coding==$(QC_VERSION)'
	touch $@

$(PEERS)/taguette/.installed:
	test -x $(PEERS)/taguette/bin/python || $(PYTHON) -m venv $(PEERS)/taguette
	$(PEERS)/taguette/bin/python -m pip install --quiet 'taguette==$(TAGUETTE_VERSION)'
	touch $@

# sizes: QUALCODE_BENCH_PEERS_N (documents), _WORDS (per document), _ROUNDS (paired rounds)
bench-peers: $(STAMP) $(PEERS)/qc/.installed $(PEERS)/taguette/.installed
	$(BIN)/python tests/bench/peers/bench_peers.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
