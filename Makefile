# Two commands on a fresh machine with Python 3.11:
#   make run   — set up, then audit the bundled sample reports (SQLite) and print a summary
#   make test  — set up, then ruff, mypy and the whole test suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
OUT    ?= build

.PHONY: run test venv system-deps lint typecheck pytest lock bench docs clean

run: $(STAMP)
	$(BIN)/xxgk samples $(OUT)/samples --quiet
	$(BIN)/xxgk audit $(OUT)/samples --db sqlite:///$(OUT)/xxgk.db --out $(OUT)/audit

test: $(STAMP) system-deps lint typecheck pytest

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@# the int8 OCR recogniser, made from the wheel's fp32 one (adapters/ocr_int8.py; ~40 s)
	$(BIN)/python -m xxgk.adapters.ocr_int8 tests/fixtures/pdfdocx/pdf
	touch $@

# Debian packages the tests drive for real: chromium (web pages), LibreOffice + CJK fonts
# (DOCX -> PDF), poppler (PDF -> PNG), PostgreSQL (storage). Installed only when missing.
system-deps:
	@bash scripts/system-deps.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# Regenerate README's rule table and docs/cli.md from the code.
docs: $(STAMP)
	$(BIN)/python scripts/gen_docs.py

# Re-resolve the lock file after changing dependencies in pyproject.toml (needs `uv`).
lock:
	uv pip compile pyproject.toml --extra dev --extra dask --extra ocr --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) $(OUT) .mypy_cache .ruff_cache .pytest_cache
