# The README's two Quick start commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: demo test test-fast bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)            ## set up, write the sample inbox and summarize it into demo-out/
	$(BIN)/qudao demo demo-out

test: $(STAMP)            ## set up and run the whole test suite (LibreOffice tests skip without soffice)
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-fast: $(STAMP)       ## the fast loop (seconds): everything but the LibreOffice and slow tests
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not libreoffice and not slow"

docs: $(STAMP)            ## regenerate docs/reference/ (CLI, kinds, finding codes) from the code
	$(BIN)/python -m qudao.docgen

bench: $(STAMP)           ## the benchmark table of the README's Performance section
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) demo-out .pytest_cache
