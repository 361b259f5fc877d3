#!/usr/bin/env bash
# Install everything the assistant needs into .venv, from the committed lock file.
# Idempotent: a second run with an unchanged lock file does (almost) nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
OFFICIAL_MODEL_URL="https://github.com/explosion/spacy-models/releases/download/nl_core_news_sm-3.4.0/nl_core_news_sm-3.4.0-py3-none-any.whl"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'FOUT: %s\n' "$*" >&2; exit 1; }

is_py310() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" "$(command -v python3.10 || true)" "$(command -v python3 || true)" "$(command -v python || true)"; do
    if is_py310 "$candidate"; then echo "$candidate"; return 0; fi
  done
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10.*/bin/python /root/.pyenv/versions/3.10.*/bin/python; do
    if is_py310 "$candidate"; then echo "$candidate"; return 0; fi
  done
  if command -v uv >/dev/null 2>&1; then
    candidate="$(uv python find 3.10 2>/dev/null || true)"
    if is_py310 "$candidate"; then echo "$candidate"; return 0; fi
  fi
  return 1
}

find_uv() {
  if command -v uv >/dev/null 2>&1; then command -v uv; return 0; fi
  if [ -x .tools/bin/uv ]; then echo .tools/bin/uv; return 0; fi
  say "uv $UV_VERSION installeren in .tools/ (van PyPI)"
  "$1" -m pip install --quiet --disable-pip-version-check --target .tools "uv==$UV_VERSION" >&2 \
    || die "Kon uv niet installeren. Installeer uv zelf: https://docs.astral.sh/uv/"
  echo .tools/bin/uv
}

PY="$(find_python)" || die "Python 3.10 niet gevonden (Rasa 3.6 werkt alleen met Python 3.10).
Installeer Python 3.10, bijvoorbeeld met 'pyenv install 3.10' of 'uv python install 3.10',
of wijs er een aan met PYTHON=/pad/naar/python3.10 make install."
UV="$(find_uv "$PY")"

lock_sum="$(sha256sum requirements.lock | cut -d' ' -f1)"
if [ -x .venv/bin/python ] && is_py310 .venv/bin/python && [ "$(cat .venv/.lock-sha256 2>/dev/null)" = "$lock_sum" ]; then
  say "Python-pakketten zijn al geïnstalleerd (requirements.lock ongewijzigd)"
else
  say "virtuele omgeving .venv met $("$PY" --version) ($PY)"
  [ -x .venv/bin/python ] && is_py310 .venv/bin/python || "$UV" venv --quiet --python "$PY" .venv
  say "pakketten installeren uit requirements.lock"
  # --compile-bytecode: where PYTHONDONTWRITEBYTECODE is set (as on our CI machine) nothing else writes .pyc, and
  # every process that imports Rasa compiled it again (about 10 s instead of 4.6 s; docs/benchmarks.md)
  "$UV" pip install --quiet --python .venv/bin/python --require-hashes --compile-bytecode -r requirements.lock
  echo "$lock_sum" > .venv/.lock-sha256
  touch .venv/.bytecode
fi
if [ ! -f .venv/.bytecode ]; then  # a .venv made before --compile-bytecode was used
  say "Python-pakketten vooraf compileren (eenmalig)"
  .venv/bin/python -m compileall -q -j 0 .venv/lib/python3.10/site-packages >/dev/null 2>&1 || true
  touch .venv/.bytecode
fi

has_pkg() { .venv/bin/python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('$1') is None)"; }

# Dutch spaCy model: the official nl_core_news_sm 3.4.0 where it can be downloaded,
# otherwise the offline pipeline nl_simplemma_lookup built from PyPI packages.
if has_pkg nl_core_news_sm; then
  say "Nederlands spaCy-model: nl_core_news_sm (al geïnstalleerd)"
elif has_pkg nl_simplemma_lookup && [ "${DUTCH_MODEL:-auto}" != official ]; then
  say "Nederlands spaCy-model: nl_simplemma_lookup (offline model, al geïnstalleerd)"
else
  official=""
  if [ "${DUTCH_MODEL:-auto}" != offline ]; then
    mkdir -p build/models
    if curl -fsSL --connect-timeout 5 --max-time 120 -o build/models/nl_core_news_sm-3.4.0-py3-none-any.whl "$OFFICIAL_MODEL_URL" 2>/dev/null; then
      "$UV" pip install --quiet --python .venv/bin/python --no-deps build/models/nl_core_news_sm-3.4.0-py3-none-any.whl && official=yes
    fi
  fi
  if [ -n "$official" ]; then
    say "Nederlands spaCy-model: nl_core_news_sm 3.4.0 geïnstalleerd"
  else
    [ "${DUTCH_MODEL:-auto}" = official ] && die "nl_core_news_sm kon niet worden gedownload."
    say "nl_core_news_sm niet bereikbaar: offline model nl_simplemma_lookup bouwen (spaCy + simplemma)"
    wheel="$(TF_CPP_MIN_LOG_LEVEL=3 .venv/bin/python -W ignore tools/build_dutch_model.py --out build/models 2>/dev/null | tail -n 1)"
    [ -f "$wheel" ] || die "Bouwen van nl_simplemma_lookup is mislukt (zie tools/build_dutch_model.py)."
    "$UV" pip install --quiet --python .venv/bin/python --no-deps "$wheel"
    say "Nederlands spaCy-model: nl_simplemma_lookup geïnstalleerd"
  fi
fi

# --- widget (web/): socket.io-client and axe-core from web/package-lock.json; Chromium for the browser tests ---

# The standard Rasa clients of the browser tests ("testClients" in web/package.json): each package on its own,
# checked against its pinned integrity, into web/node_modules/.test-clients/<name>/. Not devDependencies: their
# bundles already contain their dependencies, which npm would install anyway (604 packages for rasa-webchat).
install_test_clients() {
  local name version integrity tmp tgz actual
  tmp="$(mktemp -d)"
  while read -r name version integrity; do
    tgz="$(cd "$tmp" && npm pack "$name@$version" --prefer-offline --silent 2>/dev/null | tail -n 1)"
    actual="$(node -e 'const fs = require("fs"), crypto = require("crypto");
      process.stdout.write("sha512-" + crypto.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' \
      "$tmp/$tgz" 2>/dev/null)" || actual=""
    if [ -z "$tgz" ] || [ -z "$actual" ]; then
      rm -rf "$tmp"; say "$name@$version kon niet worden gedownload (npm pack)"; return 1
    fi
    [ "$actual" = "$integrity" ] || { rm -rf "$tmp"; die "$name@$version: integriteit klopt niet ($actual)"; }
    rm -rf "web/node_modules/.test-clients/$name"
    mkdir -p "web/node_modules/.test-clients/$name"
    tar -xzf "$tmp/$tgz" -C "web/node_modules/.test-clients/$name" --strip-components=1 --no-same-owner
  done < <(node -e 'const clients = require("./web/package.json").testClients || {};
    for (const [name, pin] of Object.entries(clients)) if (name !== "//") console.log(name, pin.version, pin.integrity)')
  rm -rf "$tmp"
}

if ! command -v npm >/dev/null 2>&1; then
  say "npm niet gevonden: de chat-widget (web/) heeft Node.js 18+ met npm nodig. Installeer Node.js en voer 'make install' opnieuw uit."
  [ "${CI:-}" = true ] && die "npm ontbreekt in CI."
else
  web_sum="$(cat web/package.json web/package-lock.json | sha256sum | cut -d' ' -f1)"
  if [ "$(cat web/node_modules/.lock-sha256 2>/dev/null)" = "$web_sum" ]; then
    say "npm-pakketten van de widget zijn al geïnstalleerd (web/package-lock.json ongewijzigd)"
  else
    say "npm-pakketten van de widget installeren (npm ci in web/)"
    npm ci --prefix web --no-audit --no-fund --loglevel=error >&2
    say "standaard Rasa-clients voor de browsertests (testClients in web/package.json)"
    if install_test_clients; then
      echo "$web_sum" > web/node_modules/.lock-sha256
    else  # offline: the widget works; tests/integration/test_rasa_webchat.py skips (and fails in CI); the next run tries again
      [ "${CI:-}" = true ] && die "testClients uit web/package.json niet geïnstalleerd."
      say "de test met rasa-webchat wordt overgeslagen tot 'make install' het pakket kan downloaden"
    fi
  fi
fi
if [ ! -x /usr/bin/chromium ]; then
  if [ "${CI:-}" = true ]; then
    say "Chromium installeren voor de browsertests (apt-get install chromium)"
    sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo
    $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq chromium >/dev/null
  else
    say "Chromium ontbreekt: de browsertests van de widget worden overgeslagen. Installeer met 'sudo apt-get install chromium'."
  fi
fi
