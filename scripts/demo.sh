#!/usr/bin/env bash
# Builds the CLI and runs its demo against an embedded Graph emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${ENTRA_INVITE_CACHE:-$HOME/.cache/entra-invite}/target}"
cargo build -q -p entra-invite-cli
exec "$CARGO_TARGET_DIR/debug/entra-invite" demo "$@"
