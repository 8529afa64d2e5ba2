# Two commands a new user needs: `make run` and `make test`. Everything else is a helper target.
# Both create what they need on a fresh machine and are safe to run twice.
SHELL := /bin/bash
PY_BOOT ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STEUNWIJZER := $(VENV)/bin/steunwijzer

.PHONY: run test lint setup

$(UV):
	$(PY_BOOT) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==0.13.8

# The app environment, exactly as locked in uv.lock.
$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	touch $@

setup: $(VENV)/.synced

run: setup
	$(STEUNWIJZER) run

test: setup
	$(UV) run --frozen pytest -q

lint: setup
	$(UV) run --frozen ruff check .
