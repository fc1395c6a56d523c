# minsheng: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOUSEHOLDS ?= 100000
YEARS ?= 2024-2035
OUT ?= results
PORT ?= 8501
BENCH_SIZES ?= 100000 1000000

.PHONY: run test lint app venv bench bench-mesa validate clean help

help:
	@echo "make run    - set up .venv (Python >= 3.12), install, run baseline vs the 2025 Opinions"
	@echo "make test   - set up .venv if needed and run the test suite"
	@echo "make lint   - ruff check and ruff format --check (CI runs both)"
	@echo "make app    - set up .venv if needed and serve the planners' app at http://localhost:$(PORT)/"
	@echo "make bench  - measure speed and memory of the model (100k and 1M households; BENCH_SIZES=\"...\" for others)"
	@echo "make bench-mesa - the model against the idiomatic Mesa reference at 10k, 100k, 1M households"
	@echo "make clean  - remove .venv and results/"

venv: $(STAMP)

$(STAMP): pyproject.toml
	@set -e; \
	if [ ! -x $(PY) ]; then \
	  PYBIN=$$(scripts/find-python) || exit 1; \
	  echo "Creating $(VENV) with $$PYBIN"; \
	  $$PYBIN -m venv $(VENV); \
	fi; \
	echo "Installing minsheng and its dependencies into $(VENV) (log: $(VENV)/install.log)"; \
	if ! { $(PY) -m pip install --upgrade pip && $(PY) -m pip install -e ".[dev]"; } > $(VENV)/install.log 2>&1; then \
	  tail -n 30 $(VENV)/install.log; echo "Installation failed; the full log is $(VENV)/install.log" >&2; exit 1; \
	fi; \
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/minsheng compare scenarios/baseline.yaml scenarios/opinions_2025.yaml \
	  --households $(HOUSEHOLDS) --years $(YEARS) --out $(OUT)

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

app: $(STAMP)
	$(VENV)/bin/minsheng app --port $(PORT)

bench: $(STAMP)
	$(PY) bench/bench_core.py --sizes $(BENCH_SIZES)

bench-mesa: $(STAMP)
	$(PY) bench/bench_mesa.py

validate: $(STAMP)
	@for f in scenarios/*.yaml; do $(VENV)/bin/minsheng validate $$f || exit 2; done

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
