#!/usr/bin/env bash
# A local PostgreSQL for the tests that run on it too (handoff store and delivery).
# Installs Debian's postgresql when missing, starts its cluster, makes a role and an empty database,
# and prints the URL. Used by scripts/test.sh in CI (CI=true); locally, set HANDOFF_TEST_POSTGRES_URL yourself.
set -euo pipefail
say() { printf '==> %s\n' "$*" >&2; }
sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  say "PostgreSQL installeren (apt-get install postgresql)"
  $sudo_cmd apt-get update -qq >&2 && $sudo_cmd apt-get install -y -qq postgresql >/dev/null
fi
version="$(ls /usr/lib/postgresql | sort -n | tail -n 1)"
pg_lsclusters -h | grep -q "^$version main" || $sudo_cmd pg_createcluster "$version" main >&2
pg_lsclusters -h | grep -q "^$version main .* online" || $sudo_cmd pg_ctlcluster "$version" main start >&2
port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')"
for _ in $(seq 1 30); do as_postgres pg_isready -q -p "$port" && break; sleep 1; done

as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 <<'SQL' >&2
SET client_min_messages = warning;
DROP DATABASE IF EXISTS handoff_test;
DROP DATABASE IF EXISTS scale_out_tracker;  -- left by an interrupted tests/integration/test_scale_out.py
DROP DATABASE IF EXISTS scale_out_handoff;
DROP ROLE IF EXISTS handoff_test;
CREATE ROLE handoff_test LOGIN CREATEDB PASSWORD 'handoff_test';  -- CREATEDB: tests/integration/test_scale_out.py
CREATE DATABASE handoff_test OWNER handoff_test;
SQL
echo "postgresql://handoff_test:handoff_test@localhost:$port/handoff_test"
