# The README's two commands are `make serve` and `make test`; every target installs what it needs.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve test lint typecheck bench bench-deps screenshots clean system-deps

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian packages the tests use: a CJK font to render PDFs, the browser the browser
# tests drive (chromium with its chromedriver; never a browser downloaded by a tool), and
# OpenLink Virtuoso for the shared-store tests (started by the tests on loopback ports).
system-deps:
	@if [ ! -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null; \
	fi
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi
	@if [ ! -x /usr/bin/virtuoso-t ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null; \
	fi

serve: $(STAMP)
	$(VENV)/bin/kg serve

lint: $(STAMP)
	$(VENV)/bin/ruff check kg api tests scripts
	$(VENV)/bin/ruff format --check kg api tests scripts

typecheck: $(STAMP)
	$(VENV)/bin/mypy

test: $(STAMP) system-deps lint typecheck
	$(VENV)/bin/pytest -q

# The pictures in docs/img/, taken by the browser tests.
screenshots: $(STAMP) system-deps
	KG_SCREENSHOT_DIR=docs/img $(VENV)/bin/pytest -q tests/test_widget_browser.py -k widget_page

# Debian's wrk drives the benchmarks' HTTP load (installed only if missing).
bench-deps:
	@if ! command -v wrk >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi

# Writes docs/benchmarks.md and docs/benchmarks.json (about 20 minutes; BENCH_ARGS=--huge for
# 10,000 reports). The single-purpose scripts/bench_*.py still run on their own.
bench: $(STAMP) bench-deps
	$(PY) scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
