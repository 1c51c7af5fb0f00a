#!/usr/bin/env bash
# Builds the Node addons (debug) — the production one (`entra-invite`) and the testing one
# (`testing/`, npm `entra-invite-testing`, the emulator) — and runs the Node package's checks:
# npm ci, cargo build, the generated declarations (native.d.ts) checked, tsc --strict on the
# TypeScript example, node --test. Needs node 20+, npm
# and cargo. Honours CARGO_TARGET_DIR. Run from anywhere: bash bindings-node/run-tests.sh
set -euo pipefail
cd "$(dirname "$0")"

echo "== npm ci (bindings-node)"
npm ci --no-audit --no-fund

target_dir="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps |
  node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>process.stdout.write(JSON.parse(s).target_directory))')}"

echo "== cargo build -p entra-invite-node -p entra-invite-node-testing"
# A plain cargo build (not `napi build`, which always passes --target and so would compile the
# whole dependency tree a second time in target/<triple>/): it shares the workspace's artefacts.
# With NAPI_TYPE_DEF_TMP_FOLDER set, the napi macros write the TypeScript declarations of what
# they compile (core's models and this crate), as under `napi build`.
export NAPI_TYPE_DEF_TMP_FOLDER="$target_dir/napi-type-defs"
mkdir -p "$NAPI_TYPE_DEF_TMP_FOLDER"
cargo build -p entra-invite-node -p entra-invite-node-testing

echo "== native.d.ts is what the Rust declares"
node typedefs.mjs "$NAPI_TYPE_DEF_TMP_FOLDER" --check
case "$(uname -s)" in
  Linux) ext="so" ;;
  Darwin) ext="dylib" ;;
  *) echo "unsupported platform for this script: $(uname -s)" >&2; exit 1 ;;
esac
platform="$(node -p 'require("./target.js").target()')"
install_addon() { # <built library> <destination .node>
  cp "$target_dir/debug/$1" "$2.tmp" && mv -f "$2.tmp" "$2"
}
install_addon "libentra_invite_node.$ext" "entra-invite.$platform.node"
install_addon "libentra_invite_node_testing.$ext" "testing/entra-invite-testing.$platform.node"

# Wire the two packages together as an install would: this package finds `entra-invite-testing`
# in its node_modules, and the testing package finds `entra-invite` (its peer) in its own.
ln -sfn ../testing node_modules/entra-invite-testing
mkdir -p testing/node_modules
ln -sfn ../.. testing/node_modules/entra-invite

echo "== tsc --noEmit --strict (examples/onboard.ts)"
npx tsc --noEmit --strict -p examples

echo "== node --test"
node --test test/
