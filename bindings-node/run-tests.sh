#!/usr/bin/env bash
# Builds the Node addon (debug) and runs the Node package's checks: npm ci, cargo build,
# tsc --strict on the TypeScript example, node --test. Needs node 20+, npm and cargo.
# Honours CARGO_TARGET_DIR. Run from anywhere: bash bindings-node/run-tests.sh
set -euo pipefail
cd "$(dirname "$0")"

echo "== npm ci (bindings-node)"
npm ci --no-audit --no-fund

echo "== cargo build -p entra-invite-node"
# A plain cargo build (not `napi build`, which always passes --target and so would compile the
# whole dependency tree a second time in target/<triple>/): it shares the workspace's artefacts.
cargo build -p entra-invite-node
target_dir="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps |
  node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>process.stdout.write(JSON.parse(s).target_directory))')}"
case "$(uname -s)" in
  Linux) lib="libentra_invite_node.so" ;;
  Darwin) lib="libentra_invite_node.dylib" ;;
  *) echo "unsupported platform for this script: $(uname -s)" >&2; exit 1 ;;
esac
addon="entra-invite.$(node -p 'process.platform + "-" + process.arch + (process.platform === "linux" ? "-gnu" : "")').node"
cp "$target_dir/debug/$lib" "$addon.tmp" && mv -f "$addon.tmp" "$addon"

echo "== tsc --noEmit --strict (examples/onboard.ts)"
npx tsc --noEmit --strict -p examples

echo "== node --test"
node --test test/
