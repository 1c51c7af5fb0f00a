#!/usr/bin/env bash
# Builds the Python packages (debug wheels of entra-invite and entra-invite-testing), installs them into a cached virtualenv and runs
# mypy --strict, mypy.stubtest (the .pyi against the module) and the pytest suite. Needs only python3 (>= 3.10) and cargo.
#
#   bindings-python/run-tests.sh [pytest args...]
#
# ENTRA_INVITE_CACHE (default ~/.cache/entra-invite) holds the venv; CARGO_TARGET_DIR is honoured.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CACHE="${ENTRA_INVITE_CACHE:-$HOME/.cache/entra-invite}"
VENV="$CACHE/py-venv"
PYTHON="${PYTHON:-python3}"
PINS=(maturin==1.16.0 pytest==9.2.0 pytest-asyncio==1.5.0 mypy==2.4.1 typing_extensions)

log() { printf '==> %s\n' "$*" >&2; }

make_venv() {
    rm -rf "$VENV"
    mkdir -p "$CACHE"
    if "$PYTHON" -m venv "$VENV" >/dev/null 2>&1 && "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        return
    fi
    # Debian without python3-venv: fall back to virtualenv from PyPI.
    log "python3 -m venv is unavailable; using virtualenv"
    rm -rf "$VENV"
    "$PYTHON" -m pip install --user --quiet virtualenv \
        || "$PYTHON" -m pip install --user --quiet --break-system-packages virtualenv \
        || { echo "error: cannot create a virtualenv: install python3-venv (apt-get install python3-venv) or pip" >&2; exit 1; }
    "$PYTHON" -m virtualenv --quiet "$VENV"
}

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "creating $VENV"
    make_venv
fi
PY="$VENV/bin/python"
if ! "$PY" -m pip show --quiet maturin pytest pytest-asyncio mypy >/dev/null 2>&1 \
   || [ "$("$PY" -m pip freeze 2>/dev/null | grep -ciE '^(maturin==1.16.0|pytest==9.2.0|pytest.asyncio==1.5.0|mypy==2.4.1)$')" != 4 ]; then
    log "installing ${PINS[*]}"
    "$PY" -m pip install --quiet "${PINS[@]}"
fi

# Debug builds (fast, sharing the workspace's target dir with the other crates) of both packages:
# entra-invite (the product, no emulator) and entra-invite-testing (testing/: the emulator).
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
WHEELS="$TARGET_DIR/entra-invite-python-wheels"
rm -rf "$WHEELS"
log "building the wheels (debug): entra-invite, entra-invite-testing"
"$VENV/bin/maturin" build --quiet --profile dev -m "$HERE/Cargo.toml" --interpreter "$PY" -o "$WHEELS" >&2
"$VENV/bin/maturin" build --quiet --profile dev -m "$HERE/testing/Cargo.toml" --interpreter "$PY" -o "$WHEELS" >&2
"$PY" -m pip install --quiet --force-reinstall --no-deps "$WHEELS"/entra_invite-*.whl "$WHEELS"/entra_invite_testing-*.whl

log "mypy --strict"
"$PY" "$HERE/tests/readme_examples.py" --write "$CACHE/readme_examples_generated.py"
MYPY=("$PY" -m mypy --strict)
(cd "$HERE" && "${MYPY[@]}" --cache-dir "$CACHE/mypy-cache-tests" tests "$CACHE/readme_examples_generated.py")    # against the installed package
(cd "$HERE/python" && "${MYPY[@]}" --cache-dir "$CACHE/mypy-cache-src" -p entra_invite)                         # the package's own sources
(cd "$HERE/testing/python" && "${MYPY[@]}" --cache-dir "$CACHE/mypy-cache-testing" -p entra_invite_testing)    # the testing package's

# The hand-written stubs against the compiled module: a drift (a missing, extra or renamed
# method, argument or attribute) fails here.
log "stubtest"
(cd "$CACHE" && "$PY" -m mypy.stubtest --mypy-config-file "$HERE/pyproject.toml" entra_invite._native)

log "pytest"
cd "$HERE"
exec "$PY" -m pytest -q -p no:cacheprovider "$@"
