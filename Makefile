# Two commands a new user needs: `make run` and `make test`. Everything else is a helper target.
# Both create what they need on a fresh machine and are safe to run twice.
SHELL := /bin/bash
PY_BOOT ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
STEUNWIJZER := $(VENV)/bin/steunwijzer

.PHONY: run test lint setup messages bench bench-short eval eval-short

$(UV):
	$(PY_BOOT) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==0.13.8

# The app environment, exactly as locked in uv.lock.
$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	touch $@

# The compiled catalogs (git-ignored *.mo), rebuilt by Babel's own compiler from each .po that
# changed; bot/i18n/catalogs.py loads them.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard locales/*/LC_MESSAGES/messages.po))

locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po | $(VENV)/.synced
	$(VENV)/bin/pybabel --quiet compile -d locales -D messages -l $*

setup: $(VENV)/.synced $(CATALOGS)

run: setup
	$(STEUNWIJZER) run

# Everything the tests need is built first (the Rasa environment and model included, with or
# without CI), so a fresh clone runs every test and skips none.
test: setup
	bash scripts/ensure_system_packages.sh
	bash scripts/ensure_chromium.sh
	bash scripts/train_rasa.sh
	$(UV) run --frozen pytest -q

lint: setup
	$(UV) run --frozen ruff check .

# Speed under load through the real processes (bench/load; installs Rasa and trains if needed).
# Writes the summary into docs/performance.md. bench-short: a few seconds of load, for CI.
bench: setup
	$(VENV)/bin/python -m bench.load --write-doc docs/performance.md

bench-short: setup
	$(VENV)/bin/python -m bench.load --short $(BENCH_FLAGS)

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

# Understanding quality per language (eval/run.py): the held-out set of tests/nlu/ through the
# bot's decision path, plus Rasa 5-fold cross-validation; writes docs/quality.md and
# docs/nlu-cross-validation.md (about 12 minutes). eval-short: held-out only, for CI (< 1 min
# with a trained model); fails on errors, not on missed targets (add --strict for that).
eval: setup
	$(VENV)/bin/python -m eval.run

eval-short: setup
	$(VENV)/bin/python -m eval.run --short
