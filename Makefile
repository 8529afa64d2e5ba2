# Two commands a new user needs: `make run` and `make test`. Everything else is a helper target.
# Both create what they need on a fresh machine and are safe to run twice.
SHELL := /bin/bash
PY_BOOT ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STEUNWIJZER := $(VENV)/bin/steunwijzer

.PHONY: run test lint setup messages

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

# Re-extract citizen-facing strings and merge them into every catalog (then translate).
LANGS := nl tr fa ar en
messages: setup
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 --sort-output \
		--no-location --project=steunwijzer -o locales/messages.pot .
	for lang in $(LANGS); do \
		if [ -f locales/$$lang/LC_MESSAGES/messages.po ]; then \
			$(VENV)/bin/pybabel update --no-fuzzy-matching -i locales/messages.pot -d locales -l $$lang; \
		else \
			$(VENV)/bin/pybabel init -i locales/messages.pot -d locales -l $$lang; \
		fi; \
	done
