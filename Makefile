# The README's two commands are `make serve` and `make test`; every target installs what it needs.
# Dependencies are pinned by constraints.txt (regenerate with `make constraints`).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 1

.PHONY: serve test lint typecheck bench bench-deps soak fuzz screenshots clean system-deps constraints

$(STAMP): pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
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

# make serve PORT=8080 HOST=0.0.0.0 WORKERS=2 (the default binds the loopback address only)
serve: $(STAMP)
	$(VENV)/bin/kg serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

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
	KG_SCREENSHOT_DIR=docs/img $(VENV)/bin/pytest -q tests/test_pages_browser.py

# Debian's wrk drives the benchmarks' HTTP load (installed only if missing).
bench-deps:
	@if ! command -v wrk >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	fi

# Writes docs/benchmarks.md and docs/benchmarks.json (about 20 minutes; BENCH_ARGS=--huge for
# 10,000 reports). The single-purpose scripts/bench_*.py still run on their own.
bench: $(STAMP) bench-deps
	$(PY) scripts/bench.py $(BENCH_ARGS)

# Long runs, loopback only, results in docs/reliability.md.
soak: $(STAMP)
	$(PY) scripts/soak.py --minutes 3 --connections 200

fuzz: $(STAMP)
	$(PY) scripts/fuzz_readers.py --seconds 300

constraints: $(STAMP)
	{ echo "# Versions the tests pass with, from the working virtualenv (pip freeze; the project itself left out)."; \
	  echo "# make installs with: pip install -c constraints.txt -e '.[test]'"; \
	  $(VENV)/bin/pip freeze --exclude-editable | grep -v -i '^policy-terms-kg'; } > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
