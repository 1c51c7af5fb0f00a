#!/usr/bin/env bash
# The whole benchmark in one command (issue 8): builds what it needs, starts graph-emulator
# processes with throttling off, runs every client's workloads (Rust core, raw reqwest; Python
# entra-invite sync/async, msgraph-sdk, raw httpx; Node entra-invite, @microsoft/microsoft-graph-client,
# raw fetch), then writes bench/results/<date>.json and bench/RESULTS.md and prints the table.
#
#   bench/run.sh [--runs 3] [--n-seq 500] [--n-conc 2000] [--n-lookup 500] [--n-status 500]
#                [--cg-n 100] [--only rust,python,node] [--note "..."] [--build-only] [--no-build]
#   bench/run.sh --smoke    a few requests per client and workload with debug builds, written to a
#                           scratch directory (CI runs it so the benchmark cannot rot; figures mean nothing)
#
# Builds (with nice): release graph-emulator + client-bench + reqwest-floor; the Python wheel in a
# scratch venv with pinned msgraph-sdk/httpx (bindings-python/bench/run.sh); the release Node addon
# (npm run build) and @microsoft/microsoft-graph-client (npm ci in bindings-node/bench).
# Needs cargo, python3 (venv), node 20+ with npm, and valgrind for the instruction counts.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD=1
BUILD_ONLY=
SMOKE=
ARGS=()
for a in "$@"; do
    case "$a" in
        --smoke) SMOKE=1 ;;
        --no-build) BUILD= ;;
        --build-only) BUILD_ONLY=1 ;;
        *) ARGS+=("$a") ;;
    esac
done
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"

if [ -n "$SMOKE" ]; then
    # Debug builds that share the test suites' artefacts; the official SDKs in the cached scratch venv.
    echo "== bench smoke: cargo build (debug: graph-emulator, client-bench, reqwest-floor)" >&2
    (cd "$ROOT" && cargo build --quiet -p entra-invite-emulator -p entra-invite-bench --bins)
    PY="$(BENCH_SETUP_ONLY=1 BENCH_PROFILE=dev bash "$ROOT/bindings-python/bench/run.sh" | tail -n 1)"
    if [ ! -f "$ROOT/bindings-node/entra-invite.linux-x64-gnu.node" ]; then
        echo "bench smoke: build the Node addon first (bash bindings-node/run-tests.sh)" >&2
        exit 1
    fi
    (cd "$ROOT/bindings-node/bench" && npm ci --no-audit --no-fund --silent)
    OUT="$(mktemp -d)"
    python3 "$ROOT/bench/run.py" --python "$PY" --bin-dir "$TARGET/debug" --runs 1 --n-seq 5 --n-conc 40 \
        --n-lookup 5 --n-status 5 --seed 5 --cg-n 0 --out "$OUT" --command "bench/run.sh --smoke" \
        --note "smoke run: debug builds, a few requests each; the figures mean nothing"
    rm -rf "$OUT"
    echo "bench smoke: every client ran every workload" >&2
    exit 0
fi

if [ -n "$BUILD" ]; then
    echo "== cargo build --release (graph-emulator, client-bench, reqwest-floor)" >&2
    (cd "$ROOT" && nice -n 10 cargo build --release --quiet -p entra-invite-emulator -p entra-invite-bench --bins)
    echo "== Python: scratch venv, msgraph-sdk, httpx, entra-invite wheel" >&2
    PY="$(BENCH_SETUP_ONLY=1 nice -n 10 bash "$ROOT/bindings-python/bench/run.sh" | tail -n 1)"
    echo "== Node: release addon, @microsoft/microsoft-graph-client" >&2
    (cd "$ROOT/bindings-node" && { [ -x node_modules/.bin/napi ] || npm ci --no-audit --no-fund --silent; } \
        && nice -n 10 npm run --silent build >/dev/null)
    (cd "$ROOT/bindings-node/bench" && npm ci --no-audit --no-fund --silent)
else
    PY="${ENTRA_INVITE_CACHE:-$HOME/.cache/entra-invite}/bench-venv/bin/python"
fi
[ -n "$BUILD_ONLY" ] && exit 0

if [ "${#ARGS[@]}" -gt 0 ]; then
    exec python3 "$ROOT/bench/run.py" --python "$PY" --bin-dir "$TARGET/release" --command "bench/run.sh $*" "${ARGS[@]}"
fi
exec python3 "$ROOT/bench/run.py" --python "$PY" --bin-dir "$TARGET/release" --command "bench/run.sh $*"
