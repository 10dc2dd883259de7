# Every target installs .venv/ by itself from the lock file, so that every machine runs exactly
# the versions of the last green run (Python 3.11+ required; see docs/dependencies.md).
#   requirements-bootstrap.txt  uv itself, exact version and hashes, installed with pip
#   uv.lock                     every other package, exact versions and hashes, installed with uv
# `make lock` is the one command that changes versions.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
UV     := $(VENV)/bin/uv
STAMP  := $(VENV)/.installed-stamp

# uv installs into .venv/ with the Python found above and never downloads an interpreter.
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export UV_PYTHON := $(CURDIR)/$(PY)
export UV_PYTHON_DOWNLOADS := never

.PHONY: setup lock chromium validate build serve test test-fast lint format bench clean

$(UV): requirements-bootstrap.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "需要 Python 3.11 或更高版本（PYTHON=$(PYTHON)）")'
	$(PYTHON) -m venv --without-pip $(VENV)
	@# The outer pip installs into .venv/ (pip >= 22.3 has --python), else .venv/ gets its own.
	if $(PYTHON) -m pip --python $(PY) --version >/dev/null 2>&1; then pip="$(PYTHON) -m pip --python $(PY)"; \
	  else $(PY) -m ensurepip --default-pip >/dev/null && pip="$(PY) -m pip"; fi && \
	  $$pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-bootstrap.txt
	touch $@

# --locked: install exactly uv.lock and fail if it no longer matches pyproject.toml (run `make lock`);
# sync is exact, so packages that left the lock leave .venv/ too.
$(STAMP): uv.lock pyproject.toml $(UV)
	$(UV) sync --locked --extra test --quiet
	touch $@

setup: $(STAMP)

# Upgrade every package to the newest release allowed by pyproject.toml; review `git diff uv.lock`
# and run `make test` before committing.
lock: $(UV)
	$(UV) lock --upgrade
	@# uv itself, as locked in uv.lock; the file is replaced only when that changed (no reinstall).
	{ echo '# uv, exported from uv.lock by `make lock`; installed with pip --require-hashes'; \
	  $(UV) export --frozen --only-group bootstrap --no-emit-project --no-header --quiet \
	    --format requirements.txt; } > $(VENV)/bootstrap.txt
	cmp -s $(VENV)/bootstrap.txt requirements-bootstrap.txt || cp $(VENV)/bootstrap.txt requirements-bootstrap.txt

# Browser tests drive the system Chromium; install it from apt when missing and we are root.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	    else echo "需要 Chromium：请以 root 运行或手动安装 chromium" >&2; exit 1; fi; }
	@# a Chinese font: without one the pages are measured in placeholder boxes half as wide, and
	@# the layout tests (names cut off, tables clipped) cannot see what a reader's phone shows
	@fc-list :lang=zh 2>/dev/null | grep -q . || \
	  { if [ "$$(id -u)" = 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || \
	      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null; }; \
	    else echo "需要中文字体：请以 root 运行或手动安装 fonts-wqy-microhei" >&2; exit 1; fi; }

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

bench: setup chromium
	$(PY) bench/run.py --out docs/benchmarks.md

clean:
	rm -rf site .venv .pytest_cache
