# qualcode: `make run` opens the demo project; `make test` lints, type-checks and tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO := exports/demo.qualcode.db
DOMAIN := qualcode/store qualcode/ingest qualcode/nlp qualcode/codebook qualcode/coding \
          qualcode/analysis qualcode/agreement qualcode/interop qualcode/caseload/domain \
          qualcode/features.py qualcode/demo.py qualcode/errors.py

.PHONY: run test lint typecheck pytest bench demo setup clean

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
	$(BIN)/mypy $(wildcard $(DOMAIN))

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: $(STAMP)
	@mkdir -p exports/bench
	@for f in tests/bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
