#!/usr/bin/env bash
# Runs every test suite: Rust (fmt, clippy, cargo test), Microsoft's SDKs against the emulator,
# the Python, Node, Kotlin and Swift packages, and this machine's release artifacts installed
# as a user would. Used by `make test` and by CI (.ci/run).
# A failing suite does not stop the others; the script fails if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export ENTRA_INVITE_CACHE="${ENTRA_INVITE_CACHE:-$HOME/.cache/entra-invite}"
# One shared target dir outside the clone, so later runs reuse what earlier ones built.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ENTRA_INVITE_CACHE/target}"
export CARGO_TERM_COLOR=never NO_COLOR=1
# The fault soak's size: 10,000 rows by default; CI keeps it to a few minutes.
export ENTRA_INVITE_SOAK_ROWS="${ENTRA_INVITE_SOAK_ROWS:-1000}"
mkdir -p "$ENTRA_INVITE_CACHE"

failed=()
ran=0
suite() {
  ran=$((ran + 1))
  local name=$1
  shift
  printf '\n==== %s\n' "$name"
  local t0=$SECONDS
  if "$@"; then
    printf '==== %s: ok (%ss)\n' "$name" $((SECONDS - t0))
  else
    printf '==== %s: FAILED (%ss)\n' "$name" $((SECONDS - t0))
    failed+=("$name")
  fi
}

suite "cargo fmt --check" cargo fmt --all -- --check
# Folders whose files import each other in a circle cannot be split or moved (issue 16). Core's
# modules still meet through lib.rs's re-exports; the others must stay clean.
suite "no import cycles" bash -c 'for d in bindings-python/src bindings-node/src uniffi/src emulator/src cli/src; do python3 scripts/import-cycles.py "$d" || exit 1; done'
suite "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings
# The default members: the bindings are tested by their own suites below (see Cargo.toml).
suite "cargo test" cargo test --no-fail-fast
suite "Microsoft's SDKs against the emulator" bash tests/sdk-compat/run.sh
suite "Python package" bash bindings-python/run-tests.sh
suite "Node package" bash bindings-node/run-tests.sh
suite "Kotlin and Swift packages" bash uniffi/run-tests.sh
# After the Node suite, whose debug addon it uses; a few requests per client, so bench/ cannot rot.
suite "benchmark smoke" bash bench/run.sh --smoke
suite "fuzz smoke" env FUZZ_SECONDS="${FUZZ_SECONDS:-5}" bash fuzz/run-smoke.sh
# This machine's release artifacts, installed as a user would with no Rust toolchain on PATH.
# (The cross targets are `make dist`'s, outside CI.) CI builds them with the plain release
# profile: the published ones use the size-optimised `dist` profile, which links far slower.
suite "make dist-host" env DIST_PROFILE="${DIST_PROFILE:-release}" bash scripts/dist.sh --host
suite "install test (no Rust toolchain)" bash scripts/install-test.sh

printf '\n'
if [ ${#failed[@]} -gt 0 ]; then
  printf 'failed suites: %s\n' "${failed[*]}"
fi
printf 'suites: %d passed, %d failed\n' $((ran - ${#failed[@]})) ${#failed[@]}
[ ${#failed[@]} -eq 0 ]
