# The commands the README names. Each installs what it needs first (scripts/bootstrap).
.DEFAULT_GOAL := help
PY := .venv/bin/python
STAMP := .venv/.bootstrapped

.PHONY: help install run test test-fast lint format typecheck bench lock browser-deps clean

help:
	@echo "make run    serve Tourdesk at http://localhost:8000 (embedded PostgreSQL unless DATABASE_URL is set)"
	@echo "make test   install what is needed and run the whole test suite"
	@echo "make lint   ruff (lint + format check) and mypy"
	@echo "make bench  run the benchmarks in bench/"

$(STAMP): pyproject.toml uv.lock scripts/bootstrap scripts/fetch_datastar.py
	@scripts/bootstrap
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(PY) manage.py serve

# Browser tests need Debian's Chromium; as root we install it, otherwise they are skipped with a reason.
browser-deps:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

test: $(STAMP) browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: $(STAMP)
	$(PY) bench/routing.py
	$(PY) bench/provisioning.py
	$(PY) bench/booking_contention.py
	$(PY) bench/live_fanout.py

lock: $(STAMP)
	$(PY) -m uv lock

clean:
	rm -rf .venv staticfiles .mypy_cache .ruff_cache .pytest_cache
