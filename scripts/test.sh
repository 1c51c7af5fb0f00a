#!/usr/bin/env bash
# Runs every test suite. Used by `make test` and by CI (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
export ENTRA_INVITE_CACHE="${ENTRA_INVITE_CACHE:-$HOME/.cache/entra-invite}"
# One shared target dir outside the clone, so CI reuses what earlier runs built.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ENTRA_INVITE_CACHE/target}"
export CARGO_TERM_COLOR=never
mkdir -p "$ENTRA_INVITE_CACHE"

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo test"
cargo test --workspace 2>&1
if [ -x tests/sdk-compat/run.sh ]; then
  echo "== Microsoft's SDKs against the emulator"
  bash tests/sdk-compat/run.sh
fi
