#!/usr/bin/env bash
# Runs Microsoft's own SDKs, unchanged, against the emulator binary:
#   msgraph-sdk (Python, Kiota) over http, @microsoft/microsoft-graph-client (Node) over --https.
# Usage: emulator/tests/sdk/run.sh [path/to/graph-emulator]   (default: target/debug/graph-emulator)
# Installs into $EMU_SDK_WORK (default: $TMPDIR/entra-invite-emu-sdk); needs python3 (venv) and node/npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
bin="${1:-$root/target/debug/graph-emulator}"
work="${EMU_SDK_WORK:-${TMPDIR:-/tmp}/entra-invite-emu-sdk}"
mkdir -p "$work"
[ -x "$bin" ] || (cd "$root" && cargo build -p entra-invite-emulator --bin graph-emulator)

if [ ! -x "$work/venv/bin/python" ] || ! "$work/venv/bin/python" -c "import msgraph" 2>/dev/null; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install -q msgraph-sdk
fi
if [ ! -d "$work/node/node_modules/@microsoft/microsoft-graph-client" ]; then
  mkdir -p "$work/node"
  (cd "$work/node" && npm init -y >/dev/null && npm install --silent @microsoft/microsoft-graph-client@3)
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start() { # start ARGS... → sets $base
  local out="$work/emu.$$.$RANDOM.out"
  "$bin" "$@" >"$out" 2>"$work/emu.log" &
  pids+=($!)
  for _ in $(seq 1 100); do
    if [ -s "$out" ]; then break; fi
    sleep 0.1
  done
  base="$(head -1 "$out" | sed 's/^listening on //')"
}

start --listen 127.0.0.1:0
"$work/venv/bin/python" "$here/msgraph_python_flow.py" "$base"

start --listen 127.0.0.1:0 --https "$work/emulator-ca.pem"
cp "$here/graph_client_node_flow.mjs" "$work/node/"
NODE_EXTRA_CA_CERTS="$work/emulator-ca.pem" node "$work/node/graph_client_node_flow.mjs" "$base"
