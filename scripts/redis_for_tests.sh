#!/usr/bin/env bash
# A local Redis for the scale-out test (the lock store shared by two Rasa servers).
# Installs Debian's redis-server when missing, starts one on a spare port (in memory, no persistence)
# and prints its URL. Idempotent: a Redis this script started and that still answers is reused.
# Used by scripts/test.sh in CI (CI=true); locally: export SCALE_OUT_REDIS_URL="$(bash scripts/redis_for_tests.sh)".
set -euo pipefail
say() { printf '==> %s\n' "$*" >&2; }
sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
state="${TMPDIR:-/tmp}/reint-redis-$(id -u)"
mkdir -p "$state"

if ! command -v redis-server >/dev/null 2>&1; then
  say "Redis installeren (apt-get install redis-server)"
  $sudo_cmd apt-get update -qq >&2 && $sudo_cmd apt-get install -y -qq redis-server >/dev/null
fi

url() { echo "redis://127.0.0.1:$1/1"; }
answers() { [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]; }
in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ -s "$state/port" ] && [ -s "$state/redis.pid" ] && kill -0 "$(cat "$state/redis.pid")" 2>/dev/null \
  && answers "$(cat "$state/port")"; then
  url "$(cat "$state/port")"
  exit 0
fi

port=""
for candidate in $(seq 6390 6419); do
  if ! in_use "$candidate"; then port="$candidate"; break; fi
done
[ -n "$port" ] || { echo "FOUT: geen vrije poort tussen 6390 en 6419 voor Redis" >&2; exit 1; }

say "Redis starten op poort $port (zonder opslag op schijf)"
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --dir "$state" --pidfile "$state/redis.pid" --logfile "$state/redis.log" >&2
for _ in $(seq 1 50); do answers "$port" && break; sleep 0.2; done
answers "$port" || { echo "FOUT: Redis antwoordt niet (zie $state/redis.log)" >&2; exit 1; }
echo "$port" > "$state/port"
url "$port"
