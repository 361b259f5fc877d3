# Two commands matter: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
export RASA_TELEMETRY_ENABLED ?= false
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONWARNINGS ?= ignore::DeprecationWarning

.PHONY: help install run test test-unit types fmt train info bench bench-load bench-lemma bench-nlu eval kennisbank purge lock lint clean

help: ## this list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

install: ## create .venv from requirements.lock and install a Dutch spaCy model
	@bash scripts/install.sh

run: install ## train if the data changed, then start the assistant (Ctrl-C stops it)
	@bash scripts/run.sh

test: install ## every check (lint, types, unit, integration, browser, stories, conversations); exits non-zero on any failure
	@bash scripts/test.sh

test-unit: install ## the fast loop: tests/unit, no trained model and no servers (under a minute)
	@$(PY) -m pytest tests/unit -m "not integration" -q

types: install ## mypy, strict on the pure packages (common, eligibility, kennisbank, handoff)
	@.venv/bin/mypy

fmt: install ## format the code (ruff format) and sort imports
	@.venv/bin/ruff check --select I --fix --quiet .
	@.venv/bin/ruff format --quiet .

train: install ## train the production model (config.yml) if its inputs changed
	@$(PY) tools/model.py train --config config.yml

info: install ## versions, the Dutch spaCy model in use, stores
	@$(PY) tools/info.py

bench: bench-load ## load benchmark: p50/p95/p99 and messages/s at 1, 10, 50 users, against a plain `rasa init` bot

bench-load: install ## the load benchmark behind `make bench` (tools/bench_load.py)
	@$(PY) tools/bench_load.py

bench-nlu: install ## 5-fold cross-validation of config.yml (2-4 min): macro-F1, calibration, fallback threshold
	@$(PY) tools/bench_nlu.py

bench-lemma: install ## lemma accuracy of the installed Dutch pipeline on UD LassySmall dev
	@$(PY) tools/bench_lemma.py

eval: install ## multi-turn conversations of tests/conversations/ against the stack: pass rate per audience and kind
	@$(PY) tools/eval_conversations.py $(EVAL_ARGS)

kennisbank: install ## regenerate data/nlu/kennisbank.yml and data/nlu/gemeenten.yml from kennisbank/
	@$(PY) tools/kennisbank_sync.py
	@$(PY) tools/gemeenten_sync.py

purge: install ## delete conversations and closed handoff requests older than RETENTION_DAYS (default 90)
	@$(PY) -m ops.retention

lock: ## re-pin requirements.lock from requirements.in (needs PyPI)
	$(UV) pip compile requirements.in -o requirements.lock --python-version 3.10 \
	  --python-platform x86_64-manylinux_2_28 --generate-hashes

lint: install ## ruff: lint and format check (make fmt formats)
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check --quiet .

clean: ## remove trained models, test results and local databases (not .venv)
	rm -rf models results var .rasa build
