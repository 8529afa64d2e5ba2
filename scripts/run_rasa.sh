#!/usr/bin/env bash
# Start the NLU service: Rasa's HTTP API (`/model/parse`, `/status`) on the current NLU model.
# No dialogue layer, no tracker store, no channels, no action server (architecture.md).
#
# Environment (all optional but the token):
#   STEUNWIJZER_RASA_TOKEN (or RASA_TOKEN)  API token, required; the bot sends the same one
#   RASA_PORT (5005)  RASA_INTERFACE (127.0.0.1: only local clients by default)
#   RASA_TLS_CERT / RASA_TLS_KEY  certificate and key; required on any other interface
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
# Privacy: Rasa logs every parsed text at DEBUG ("processor.message.parse" with
# parse_data_text), and sanic's access log (INFO) has every URL with its ?token=. So Rasa never
# logs below INFO and its libraries never below WARNING, whatever the environment says (a
# LOG_LEVEL=DEBUG meant for another program must not reach Rasa), and the flags that would
# lower them or send the log elsewhere (outside the bot's rotation) are refused.
level="${LOG_LEVEL:-INFO}"
case "${level^^}" in
    INFO|WARNING|ERROR|CRITICAL) export LOG_LEVEL="${level^^}" ;;
    *) echo "[run_rasa] LOG_LEVEL=$level would log message text; using INFO" >&2
       export LOG_LEVEL=INFO ;;
esac
level="${LOG_LEVEL_LIBRARIES:-WARNING}"
case "${level^^}" in
    WARNING|ERROR|CRITICAL) export LOG_LEVEL_LIBRARIES="${level^^}" ;;
    *) echo "[run_rasa] LOG_LEVEL_LIBRARIES=$level would log request URLs; using WARNING" >&2
       export LOG_LEVEL_LIBRARIES=WARNING ;;
esac
for arg in "$@"; do
    case "$arg" in
        -v|-vv|--verbose|--debug|--log-file|--log-file=*|--logging-config-file*)
            echo "[run_rasa] refusing $arg: the log level and log file are fixed (privacy)" >&2
            exit 1 ;;
    esac
done
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export RASA_CACHE_DIRECTORY="${RASA_CACHE_DIRECTORY:-.models/cache}"

if [[ ! -x "$VENV/bin/rasa" ]]; then
    echo "[run_rasa] no Rasa env: run scripts/setup_rasa.sh" >&2; exit 1
fi
if [[ ! -e "$MODEL" ]]; then
    echo "[run_rasa] no model at $MODEL: run scripts/train_rasa.sh" >&2; exit 1
fi
if [[ -z "$TOKEN" ]]; then
    # Even on loopback: any local process could otherwise read what people write.
    echo "[run_rasa] refusing to start without STEUNWIJZER_RASA_TOKEN" >&2; exit 1
fi

interface="${RASA_INTERFACE:-127.0.0.1}"
tls=()
if [[ -n "${RASA_TLS_CERT:-}" ]]; then
    tls=(--ssl-certificate "$RASA_TLS_CERT" --ssl-keyfile "${RASA_TLS_KEY:?RASA_TLS_KEY}")
elif [[ "$interface" != "127.0.0.1" && "$interface" != "localhost" ]]; then
    echo "[run_rasa] refusing to serve on $interface without TLS (RASA_TLS_CERT/KEY)" >&2; exit 1
fi

exec "$VENV/bin/rasa" run \
    --enable-api --auth-token "$TOKEN" \
    --interface "$interface" \
    --port "${RASA_PORT:-5005}" \
    --model "$MODEL" \
    --credentials rasa_project/no_channels.yml \
    "${tls[@]}" \
    "$@"
