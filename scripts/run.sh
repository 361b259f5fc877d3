#!/usr/bin/env bash
# Start the action server and the Rasa server; Ctrl-C stops both.
# Trains first when config.yml, domain.yml or data/ changed (tools/model.py).
set -euo pipefail
cd "$(dirname "$0")/.."

export RASA_TELEMETRY_ENABLED="${RASA_TELEMETRY_ENABLED:-false}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
# One TensorFlow/OpenMP thread per op: the models are small, and on a shared 2-core machine more
# threads fight over the cores (tools/bench_load.py; README "Performance"). Override to tune.
export TF_INTRA_OP_PARALLELISM_THREADS="${TF_INTRA_OP_PARALLELISM_THREADS:-1}"
export TF_INTER_OP_PARALLELISM_THREADS="${TF_INTER_OP_PARALLELISM_THREADS:-1}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
RASA_PORT="${RASA_PORT:-5005}"
ACTION_PORT=5055  # fixed: endpoints.yml points the Rasa server at localhost:5055
WEB_PORT="${WEB_PORT:-8080}"  # widget: demo website (web/serve.py)
PUBLIC_URL="${PUBLIC_URL:-http://localhost:$RASA_PORT}"  # widget: where browsers reach Rasa
CORS_ORIGINS="${CORS_ORIGINS:-http://localhost:$RASA_PORT http://localhost:$WEB_PORT}"
export CORS_ORIGINS  # the Socket.IO channel applies the same allowlist (reintegratie/socketio_channel.py)
PY=.venv/bin/python
RASA=.venv/bin/rasa

model="${RASA_MODEL:-}"
if [ -z "$model" ]; then
  model="$($PY tools/model.py train --config "${RASA_CONFIG:-config.yml}")"
fi

mkdir -p var
# A random secret kept in a file (mode 0600), made on the first start: secret_file <path> <bytes>
secret_file() {
  [ -s "$1" ] || (umask 077; $PY -c "import secrets; print(secrets.token_urlsafe($2))" > "$1")
  cat "$1"
}

# The HTTP API (/model/parse, /conversations/...) needs this token.
token="${RASA_API_TOKEN:-$(secret_file var/api_token 32)}"

# console: consultant console (console/). Without CONSOLE_USERS: user medewerker, password in var/console_password.
CONSOLE_PORT="${CONSOLE_PORT:-8081}"
console_login="gebruikers uit CONSOLE_USERS"
if [ -z "${CONSOLE_USERS:-}" ]; then
  CONSOLE_USERS="medewerker:$(secret_file var/console_password 12 | $PY -m console.auth hash)"
  console_login="gebruiker medewerker, wachtwoord in var/console_password"
fi
export CONSOLE_USERS

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Assistent gestopt."
}
trap stop INT TERM EXIT

# Each server gets its own process group (setsid), so stop() ends all its children too.
setsid "$RASA" run actions --actions actions --port "$ACTION_PORT" &
pids+=($!)
# shellcheck disable=SC2086  # CORS_ORIGINS is a space-separated list
setsid "$RASA" run --model "$model" --port "$RASA_PORT" \
  --endpoints endpoints.yml --credentials credentials.yml \
  --enable-api --auth-token "$token" --cors $CORS_ORIGINS &
pids+=($!)
# widget: the demo website with the chat widget (web/public/), pointed at PUBLIC_URL
setsid "$PY" web/serve.py --port "$WEB_PORT" --rasa-url "$PUBLIC_URL" &
pids+=($!)
# handoff: the outbox worker posts new handoff requests to HANDOFF_WEBHOOK_URL until accepted
setsid "$PY" -m handoff.worker &
pids+=($!)
# console: the consultant console, talking to Rasa's HTTP API with the token
setsid env RASA_PORT="$RASA_PORT" RASA_API_TOKEN="$token" "$PY" -m console --port "$CONSOLE_PORT" &
pids+=($!)

for _ in $(seq 1 300); do
  if curl -fs "http://localhost:$RASA_PORT/" >/dev/null 2>&1 && curl -fs "http://localhost:$ACTION_PORT/health" >/dev/null 2>&1 \
    && curl -fs "http://localhost:$WEB_PORT/" >/dev/null 2>&1 \
    && curl -fs "http://localhost:$CONSOLE_PORT/health" >/dev/null 2>&1; then
    cat <<MSG

De assistent draait.
  Chat (REST):   curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender":"a","message":"hallo"}'
  Socket.IO:     http://localhost:$RASA_PORT/socket.io
  HTTP API:      http://localhost:$RASA_PORT  (?token=<token>; token in var/api_token of RASA_API_TOKEN)
  Acties:        http://localhost:$ACTION_PORT/health
  Demo-website:  http://localhost:$WEB_PORT/
  Console:       http://localhost:$CONSOLE_PORT/  ($console_login, zie README)
  CORS voor:     $CORS_ORIGINS
Stoppen: Ctrl-C
MSG
    break
  fi
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { echo "Een server is gestopt tijdens het starten." >&2; exit 1; }; done
  sleep 1
done

# Stop everything as soon as either server ends.
wait -n "${pids[@]}"
