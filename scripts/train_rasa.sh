#!/usr/bin/env bash
# Train the NLU model (`rasa train nlu`: Rasa as the NLU service, no dialogue layer) only when its
# inputs changed, and point .models/current.tar.gz at it.
#
# Inputs hashed: every file under nlu_data/ and rasa_project/, plus requirements/rasa.txt (a
# model from another Rasa build may not load). The model is named after that hash, so "already
# trained" is simply "the file exists". Extra arguments go to `rasa train nlu` (e.g. --debug).
set -euo pipefail
SELF="$(realpath "$0")"
cd "$(dirname "$SELF")/.."

VENV="${RASA_VENV:-.venv-rasa}"
OUT=.models
export RASA_TELEMETRY_ENABLED=false
# Rasa's training cache defaults to ./.rasa/cache; keep it under the ignored .models/ instead.
export RASA_CACHE_DIRECTORY="${RASA_CACHE_DIRECTORY:-$OUT/cache}"

bash scripts/setup_rasa.sh

inputs_hash() {
    # Path + content of each file, in a fixed order, so renames count as changes too.
    find nlu_data rasa_project -type f ! -name '*.pyc' ! -name '.*' ! -name no_channels.yml -print0 \
        | LC_ALL=C sort -z | xargs -0 sha256sum
    sha256sum requirements/rasa.txt
}
HASH="$(inputs_hash | sha256sum | cut -c1-16)"
MODEL="$OUT/$HASH.tar.gz"
mkdir -p "$OUT"

if [[ -f "$MODEL" ]]; then
    echo "[train_rasa] model up to date: $MODEL" >&2
else
    echo "[train_rasa] training $MODEL" >&2
    "$VENV/bin/rasa" train nlu \
        --config rasa_project/config.yml \
        --nlu nlu_data/nlu \
        --out "$OUT" \
        --fixed-model-name "$HASH" \
        "$@"
fi

# Relative symlink, replaced atomically, so a running `rasa run` restart picks the new model.
ln -sfn "$HASH.tar.gz" "$OUT/current.tmp.tar.gz"
mv -Tf "$OUT/current.tmp.tar.gz" "$OUT/current.tar.gz"
# Keep the 3 newest models; older ones only cost disk.
ls -1t "$OUT"/*.tar.gz 2>/dev/null | grep -v '/current' | tail -n +4 | xargs -r rm -f
echo "[train_rasa] current -> $HASH.tar.gz" >&2
