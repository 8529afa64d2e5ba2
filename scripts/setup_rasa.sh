#!/usr/bin/env bash
# Build the Rasa environment .venv-rasa/ (Rasa Open Source 3.6.21 on CPython 3.11).
#
# Why a separate env: Rasa 3.6 pins SQLAlchemy<1.5, TensorFlow 2.12 etc., which clash with the
# app env (.venv, uv). Why the odd recipe: rasa 3.6.21 declares Requires-Python <3.11 but runs on
# 3.11; a plain `--ignore-requires-python` resolve pulls versions that need 3.12 (architecture.md).
#
# Normal mode (default): install the exact lock requirements/rasa.txt with --no-deps, so every
# machine gets the same versions without running the resolver. A stamp file holding the lock's
# hash makes a second run a no-op (fast, idempotent).
#
# --relock: rebuild the lock from scratch with the recipe:
#   1. rasa==3.6.21 --no-deps --ignore-requires-python
#   2. Rasa's own Requires-Dist, markers evaluated as for Python 3.10, installed normally, with
#      matplotlib>=3.6,<3.7 (3.5 has no 3.11 wheels), numpy<1.25, scipy<1.11,
#      scikit-learn<1.2, dask==2022.10.2
#   3. pip freeze > requirements/rasa.txt
set -euo pipefail
SELF="$(realpath "$0")"
cd "$(dirname "$SELF")/.."

VENV="${RASA_VENV:-.venv-rasa}"
LOCK=requirements/rasa.txt
STAMP="$VENV/.rasa-lock.sha256"
PY="${PYTHON_RASA:-python3.11}"
RASA_VERSION=3.6.21
# rasa-sdk (a hard dependency of rasa) carries the same <3.11 pin, so it gets the same treatment.
RASA_SDK_VERSION=3.6.2
RELOCK=0
[[ "${1:-}" == "--relock" ]] && RELOCK=1

log() { echo "[setup_rasa] $*" >&2; }

# The stamp covers the lock *and* this script, so a changed recipe also triggers a rebuild.
want_hash() { cat "$LOCK" "$SELF" | sha256sum | cut -d' ' -f1; }

if [[ $RELOCK -eq 0 && -f "$LOCK" && -f "$STAMP" && -x "$VENV/bin/rasa" ]] \
    && [[ "$(cat "$STAMP")" == "$(want_hash)" ]]; then
    log "up to date ($VENV matches $LOCK)"
    exit 0
fi

# A venv from another interpreter version is discarded; a half-built one (no stamp) is
# completed by the lock install below, which pip makes exact for every pinned package.
if [[ -x "$VENV/bin/python" ]] && ! "$VENV/bin/python" -c \
    'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
    log "removing $VENV (not Python 3.11)"
    rm -rf "$VENV"
fi
if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating $VENV with $PY"
    "$PY" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check --no-input)
# Rasa never phones home from this env, whatever command is run in it.
export RASA_TELEMETRY_ENABLED=false

if [[ $RELOCK -eq 1 || ! -f "$LOCK" ]]; then
    log "resolving from the recipe (this takes a few minutes)"
    rm -f "$STAMP"
    "${PIP[@]}" install --quiet --no-deps --ignore-requires-python \
        "rasa==$RASA_VERSION" "rasa-sdk==$RASA_SDK_VERSION"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    # Rasa's dependency list, markers evaluated as on Python 3.10 (what rasa was built for).
    "$VENV/bin/python" - "$work" <<'PY'
import sys
from importlib.metadata import requires
from pip._vendor.packaging.markers import default_environment
from pip._vendor.packaging.requirements import Requirement

env = default_environment()
env.update(python_version="3.10", python_full_version="3.10.13", extra="")
# Overrides: names whose upstream pin cannot work on 3.11 are replaced, not merely constrained.
override = {"matplotlib": "matplotlib>=3.6,<3.7"}
pinned = {"rasa", "rasa-sdk"}  # already installed with --no-deps
out: list[str] = []
for dist in sorted(pinned):
    for line in requires(dist) or []:
        req = Requirement(line)
        if req.name.lower() in pinned:
            continue
        if req.marker is not None and not req.marker.evaluate(env):
            continue  # other platform / python / optional extra
        req.marker = None
        out.append(override.get(req.name.lower(), str(req)))
open(f"{sys.argv[1]}/deps.txt", "w").write("\n".join(out) + "\n")
open(f"{sys.argv[1]}/constraints.txt", "w").write(
    "numpy<1.25\nscipy<1.11\nscikit-learn<1.2\ndask==2022.10.2\n"
)
PY
    log "rasa deps: $(wc -l < "$work/deps.txt") requirements"
    "${PIP[@]}" install -r "$work/deps.txt" -c "$work/constraints.txt"
    mkdir -p "$(dirname "$LOCK")"
    {
        echo "# Exact lock of .venv-rasa (Rasa $RASA_VERSION on CPython 3.11), made by"
        echo "# scripts/setup_rasa.sh --relock. Install with:"
        echo "#   pip install --no-deps --ignore-requires-python -r requirements/rasa.txt"
        # --all so setuptools (a runtime dependency of rasa) is pinned too; pip itself is the venv's.
        "${PIP[@]}" freeze --all --exclude-editable | grep -v '^pip=='
    } > "$LOCK"
    log "wrote $LOCK ($(grep -vc '^#' "$LOCK") packages)"
else
    log "installing the exact lock $LOCK"
    "${PIP[@]}" install --quiet --no-deps --ignore-requires-python -r "$LOCK"
fi

# Sanity: the lock is complete. The one known, deliberate mismatch (matplotlib 3.6 instead of
# rasa's <3.6, which has no 3.11 wheels) is filtered; anything else is printed.
if ! "${PIP[@]}" check >"$VENV/.pip-check.txt" 2>&1; then
    grep -v 'has requirement matplotlib<3.6' "$VENV/.pip-check.txt" >&2 || true
fi
"$VENV/bin/python" -c "import rasa; print('rasa', rasa.__version__)" >&2
"$VENV/bin/rasa" telemetry disable >/dev/null 2>&1 || true
want_hash > "$STAMP"
log "done"
