#!/usr/bin/env bash
# Start the Rasa server (HTTP API + REST channel) on the current model.
#
# Environment (all optional):
#   STEUNWIJZER_RASA_TOKEN (or RASA_TOKEN)  API token; the bot sends the same one
#   RASA_PORT (5005)  RASA_INTERFACE (127.0.0.1: only local clients by default)
#   STEUNWIJZER_ACTION_SERVER_HOST (127.0.0.1)  STEUNWIJZER_ACTION_SERVER_PORT (5055)
#   STEUNWIJZER_CONVERSATION_EXPIRY_SECONDS (86400)  STEUNWIJZER_CONVERSATION_PURGE_SECONDS (60)
#   RASA_MODEL (.models/current.tar.gz)
# Extra arguments go to `rasa run`.
set -euo pipefail
SELF="$(realpath "$0")"
cd "$(dirname "$SELF")/.."

VENV="${RASA_VENV:-.venv-rasa}"
MODEL="${RASA_MODEL:-.models/current.tar.gz}"
TOKEN="${STEUNWIJZER_RASA_TOKEN:-${RASA_TOKEN:-}}"

# Never phone home (privacy.md); the env var wins over Rasa's global config.
export RASA_TELEMETRY_ENABLED=false
# endpoints.yml reads these with ${...}; Rasa fails on unset variables, so default them here.
export STEUNWIJZER_ACTION_SERVER_HOST="${STEUNWIJZER_ACTION_SERVER_HOST:-127.0.0.1}"
export STEUNWIJZER_ACTION_SERVER_PORT="${STEUNWIJZER_ACTION_SERVER_PORT:-5055}"
# Idle conversations leave the tracker store after this long (privacy.md), checked this often.
export STEUNWIJZER_CONVERSATION_EXPIRY_SECONDS="${STEUNWIJZER_CONVERSATION_EXPIRY_SECONDS:-86400}"
export STEUNWIJZER_CONVERSATION_PURGE_SECONDS="${STEUNWIJZER_CONVERSATION_PURGE_SECONDS:-60}"
# Privacy: message text is logged by Rasa only at DEBUG, except by the REST channel on a timed
# out turn (silenced in rasa_project/logging.yml); keep Rasa at INFO and its libraries (sanic
# access log, TensorFlow) at WARNING.
export LOG_LEVEL="${LOG_LEVEL:-INFO}"
export LOG_LEVEL_LIBRARIES="${LOG_LEVEL_LIBRARIES:-WARNING}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export RASA_CACHE_DIRECTORY="${RASA_CACHE_DIRECTORY:-.models/cache}"

if [[ ! -x "$VENV/bin/rasa" ]]; then
    echo "[run_rasa] no Rasa env: run scripts/setup_rasa.sh" >&2; exit 1
fi
if [[ ! -e "$MODEL" ]]; then
    echo "[run_rasa] no model at $MODEL: run scripts/train_rasa.sh" >&2; exit 1
fi

auth=()
interface="${RASA_INTERFACE:-127.0.0.1}"
if [[ -n "$TOKEN" ]]; then
    auth=(--auth-token "$TOKEN")
elif [[ "$interface" == "127.0.0.1" || "$interface" == "localhost" ]]; then
    # Tolerated for local development only: the API is reachable from this machine alone.
    echo "[run_rasa] warning: no STEUNWIJZER_RASA_TOKEN; API open on $interface" >&2
else
    echo "[run_rasa] refusing to expose the API on $interface without a token" >&2; exit 1
fi

exec "$VENV/bin/rasa" run \
    --enable-api "${auth[@]}" \
    --interface "$interface" \
    --port "${RASA_PORT:-5005}" \
    --model "$MODEL" \
    --endpoints rasa_project/endpoints.yml \
    --credentials rasa_project/credentials.yml \
    --logging-config-file rasa_project/logging.yml \
    "$@"
