# The two commands of the README: `make up` runs the system, `make test` runs the tests.
# Both create the virtualenv and install everything on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: up down test lint unit bench install system-deps clean

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/.installed

# Debian packages the tests and the bench need beyond the machine's own: chromium for the
# dashboard's browser test, wrk for the bench's queries under load, kcat for records no Python
# client can write (a header key that is not UTF-8), poppler-utils (pdftoppm, pdftotext) for
# the review reports' test.
system-deps:
	@command -v chromium >/dev/null 2>&1 && command -v wrk >/dev/null 2>&1 && \
	  command -v kcat >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || { \
	  echo "installing chromium (dashboard browser test), wrk (bench under load), kcat, poppler-utils"; \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  $$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core wrk kcat \
	    poppler-utils >/dev/null; }

up: install
	$(BIN)/thidua up

down: install
	$(BIN)/thidua down

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m contracts.generate --check

# pytest exits 5 when it collects nothing; that is reported, not hidden as a pass of tests.
test: lint system-deps
	@$(BIN)/pytest -ra $(PYTEST_ARGS); rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

# Throughput, latency, rebuild and query speed against raw Kafka and PostgreSQL (~15 min).
bench: install
	$(BIN)/thidua bench $(BENCH_ARGS)

unit: install
	$(BIN)/pytest -ra tests/unit $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
