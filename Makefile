# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test eval bench index clean

setup: $(STAMP)  ## create .venv, install qa (torch pinned to the CPU build), build the index if stale
	@$(BIN)/qa index --if-stale

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

run: setup  ## open the REPL on corpus/
	@$(BIN)/qa

test: setup  ## run the test suite
	$(BIN)/python -m pytest -q

eval: setup  ## answer eval/questions.jsonl and print the metrics
	$(BIN)/qa eval

bench: setup  ## speed and memory benchmark; writes bench/results.json
	$(BIN)/python bench/run.py

index: $(STAMP)  ## rebuild the index of corpus/
	$(BIN)/qa index

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
