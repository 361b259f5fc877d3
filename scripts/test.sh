#!/usr/bin/env bash
# Everything `make test` checks. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
step() { printf '\n==> %s\n' "$*"; }

step "lint (ruff; make fmt formats)"
.venv/bin/ruff check .
.venv/bin/ruff format --check --quiet .

step "types (mypy, strict on the pure packages)"
.venv/bin/mypy

step "kennisbank: data/nlu/kennisbank.yml matches kennisbank/"
$PY tools/kennisbank_sync.py --check

step "rasa data validate (warnings are failures)"
$PY tools/validate.py

step "model (config.yml, the production pipeline; trained only when inputs changed)"
model="$($PY tools/model.py train --config config.yml)"
echo "$model"

if [ "${CI:-}" = true ] && [ -z "${HANDOFF_TEST_POSTGRES_URL:-}" ]; then
  step "PostgreSQL for the handoff tests (CI; locally set HANDOFF_TEST_POSTGRES_URL to run them)"
  HANDOFF_TEST_POSTGRES_URL="$(bash scripts/postgres_for_tests.sh)"
  export HANDOFF_TEST_POSTGRES_URL
fi
if [ "${CI:-}" = true ] && [ -z "${SCALE_OUT_REDIS_URL:-}" ]; then
  step "Redis for the scale-out test (CI; locally set SCALE_OUT_REDIS_URL to run it)"
  SCALE_OUT_REDIS_URL="$(bash scripts/redis_for_tests.sh)"
  export SCALE_OUT_REDIS_URL
fi

step "pytest"
rm -rf results  # widget: before pytest, so its screenshots (results/widget*.png) stay next to rasa test's output
RASA_TEST_MODEL="$model" $PY -m pytest

step "rasa test: end-to-end test stories in tests/stories (prediction errors fail)"
.venv/bin/rasa test core --model "$model" --stories tests/stories --fail-on-prediction-errors --out results

# The floors are the level measured on 2026-12-07 in the evening (83.1% of all, 80.8% of the blind part)
# less about two points: a change that loses conversations fails here. Issue 19's targets (95% and 90%, make eval's
# defaults) are not reached yet.
step "dialogue evaluation: tests/conversations against the running stack (floors 0.84 and 0.82; docs/testing.md)"
$PY tools/eval_conversations.py --model "$model" --quiet --min 0.84 --min-blind 0.82 --out results/eval.json
echo "All checks passed."
