#!/usr/bin/env bash
# Start the assistant's servers (Rasa, actions, demo website, handoff worker, console); Ctrl-C stops them all.
# Trains first when config.yml, domain.yml or data/ changed (tools/model.py).
# A server that stops is started again and the log says so; one that stops RESTART_LIMIT times within
# RESTART_WINDOW seconds stops the whole assistant (a crash loop needs a person).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
# The settings run.sh uses, with its defaults, checked by common/settings.py (docs/configuration.md): RASA_PORT,
# WEB_PORT and CONSOLE_PORT (widget: demo website, web/serve.py), PUBLIC_URL (widget: where browsers reach Rasa),
# CORS_ORIGINS, RASA_MODEL, RASA_CONFIG, and Rasa's and TensorFlow's own. One TensorFlow/OpenMP thread per op:
# the models are small, and on a shared 2-core machine more threads fight over the cores (tools/bench_load.py).
# A bad value (a port that is not a number) stops here, before anything starts.
settings="$($PY -m common.settings --shell)"
eval "$settings"
export RASA_TELEMETRY_ENABLED TF_CPP_MIN_LOG_LEVEL TF_INTRA_OP_PARALLELISM_THREADS TF_INTER_OP_PARALLELISM_THREADS \
  OMP_NUM_THREADS
export CORS_ORIGINS  # the Socket.IO channel applies the same allowlist (reintegratie/channels/socketio.py)
ACTION_PORT=5055  # fixed: endpoints.yml points the Rasa server at 127.0.0.1:5055

model="$RASA_MODEL"
if [ -z "$model" ]; then
  model="$($PY tools/model.py train --config "$RASA_CONFIG")"
fi

# Everything made from here on (var/, databases, logs, secrets) is readable by this user only.
umask 077
mkdir -p var
# A random secret kept in a file (mode 0600), made on the first start: secret_file <path> <bytes>
secret_file() {
  [ -s "$1" ] || (umask 077; $PY -c "import secrets; print(secrets.token_urlsafe($2))" > "$1")
  cat "$1"
}

# The HTTP API (/model/parse, /conversations/...) needs this token. Exported, never on a command line:
# reintegratie.launch hands it to Rasa inside its own process, so `ps` does not show it.
RASA_API_TOKEN="${RASA_API_TOKEN:-$(secret_file var/api_token 32)}"
export RASA_API_TOKEN
# The Rasa server sends this secret to the action server (endpoints.yml: X-Action-Token); without it the
# action server answers 401. The action server listens on 127.0.0.1 only (ACTION_SERVER_HOST).
ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-$(secret_file var/action_token 32)}"
export ACTION_SERVER_TOKEN

# console: consultant console (console/). Without CONSOLE_USERS: user medewerker, password in var/console_password.
console_login="gebruikers uit CONSOLE_USERS"
if [ -z "${CONSOLE_USERS:-}" ]; then
  CONSOLE_USERS="medewerker:$(secret_file var/console_password 12 | $PY -m console.auth hash)"
  console_login="gebruiker medewerker, wachtwoord in var/console_password"
fi
export CONSOLE_USERS

RESTART_LIMIT=5    # stops within
RESTART_WINDOW=60  # seconds: then everything stops

# One function per server, run in a subshell (start): each server gets only the secrets it needs, and its own
# process group (setsid), so stop() ends its children too; exec makes the pid run.sh knows the server's own.
start_rasa() {
  # the API token reaches Rasa through reintegratie.launch, not the command line; the action token: endpoints.yml
  # shellcheck disable=SC2086  # CORS_ORIGINS is a space-separated list
  exec setsid "$PY" -m reintegratie.launch run --model "$model" --port "$RASA_PORT" \
    --endpoints endpoints.yml --credentials credentials.yml --enable-api --cors $CORS_ORIGINS
}
start_actions() {
  unset RASA_API_TOKEN
  exec setsid "$PY" -m reintegratie.action_server --actions actions --port "$ACTION_PORT"
}
# widget: the demo website with the chat widget (web/public/), pointed at PUBLIC_URL
start_web() {
  unset RASA_API_TOKEN ACTION_SERVER_TOKEN
  exec setsid "$PY" web/serve.py --port "$WEB_PORT" --rasa-url "$PUBLIC_URL"
}
# handoff: the outbox worker posts new handoff requests to HANDOFF_WEBHOOK_URL until accepted
start_worker() {
  unset RASA_API_TOKEN ACTION_SERVER_TOKEN
  exec setsid "$PY" -m handoff.worker
}
# console: the consultant console, talking to Rasa's HTTP API with the token
start_console() {
  unset ACTION_SERVER_TOKEN
  export RASA_PORT
  exec setsid "$PY" -m console --port "$CONSOLE_PORT"
}

declare -A label=([rasa]="De Rasa-server" [actions]="De actieserver" [web]="De demo-website"
                  [worker]="De handoff-worker" [console]="De console")
declare -A server_of=()  # pid -> name, of the servers that run now
declare -A stops=()      # name -> the times (s) it stopped within the last RESTART_WINDOW seconds

start() {
  "start_$1" &
  server_of[$!]="$1"
}

stop() {
  trap - INT TERM EXIT
  for pid in "${!server_of[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${!server_of[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Assistent gestopt."
  exit "${1:-0}"
}
trap 'stop 0' INT TERM
trap 'stop $?' EXIT

for name in actions rasa web worker console; do start "$name"; done

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
  for pid in "${!server_of[@]}"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "Een server is gestopt tijdens het starten: ${label[${server_of[$pid]}],}." >&2
      exit 1
    fi
  done
  sleep 1
done

# Supervise: when a server stops, say which and start it again; the others keep serving.
# A server that stopped, with its exit code: restart it, or stop everything after a crash loop.
restart() {
  local pid="$1" code="$2" name="${server_of[$1]}"
  unset "server_of[$pid]"
  kill -KILL -- "-$pid" 2>/dev/null || true  # what is left of its process group (children)
  local now t recent=""
  now=$(date +%s)
  for t in ${stops[$name]:-} "$now"; do
    if [ $((now - t)) -lt "$RESTART_WINDOW" ]; then recent="$recent $t"; fi
  done
  stops[$name]="$recent"
  local times
  read -ra times <<<"$recent"
  if [ "${#times[@]}" -ge "$RESTART_LIMIT" ]; then
    echo "${label[$name]} is ${#times[@]} keer gestopt binnen $RESTART_WINDOW seconden (exitcode $code)." \
      "Daarom stopt de hele assistent. Kijk in de log hierboven wat er misging." >&2
    exit 1
  fi
  echo "${label[$name]} is gestopt (exitcode $code). We starten hem opnieuw." >&2
  start "$name"
}

while true; do
  # Returns when a server ends (or a signal comes). Two servers that end at the same moment are reported by
  # bash as one, so after every return each server is checked: none is left unnoticed (fresh attack N2).
  wait -n "${!server_of[@]}" || true
  sleep 1
  for pid in "${!server_of[@]}"; do
    kill -0 "$pid" 2>/dev/null && continue
    code=0
    wait "$pid" 2>/dev/null || code=$?
    restart "$pid" "$code"
  done
done
