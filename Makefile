# Every target sets up .venv/ on a fresh machine by itself (Python 3.11+ required).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup chromium validate build serve test test-fast lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Browser tests drive the system Chromium; install it from apt when missing and we are root.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	    else echo "需要 Chromium：请以 root 运行或手动安装 chromium" >&2; exit 1; fi; }

validate: setup
	$(VENV)/bin/registry validate

build: setup
	$(VENV)/bin/registry build

serve: setup
	$(VENV)/bin/registry serve

test: setup chromium
	$(VENV)/bin/ruff check generator tests bench
	$(VENV)/bin/ruff format --check generator tests bench
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not browser"

lint: setup
	$(VENV)/bin/ruff check generator tests bench
	$(VENV)/bin/ruff format --check generator tests bench

format: setup
	$(VENV)/bin/ruff format generator tests bench
	$(VENV)/bin/ruff check --fix generator tests bench

bench: setup
	$(PY) bench/run.py --out docs/benchmarks.md

clean:
	rm -rf site .venv .pytest_cache
