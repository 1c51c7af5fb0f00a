#!/usr/bin/env bash
# The benchmark of bench.py in a scratch venv: pinned msgraph-sdk / httpx (the anchors of
# shared/research/perf-anchors.md) and a release wheel of entra-invite. Not part of the tests.
#   bindings-python/bench/run.sh [--runs 5] [--n 300]
# BENCH_SETUP_ONLY=1: make the venv and install the wheel, print the venv's python, run nothing.
# BENCH_PROFILE: a cargo profile for the wheel (default: the package's own, `wheel`).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${ENTRA_INVITE_CACHE:-$HOME/.cache/entra-invite}"
# Another profile gets its own venv, so a smoke run never leaves a debug wheel where the real
# benchmark (`--no-build`) would time it.
VENV="$CACHE/bench-venv${BENCH_PROFILE:+-$BENCH_PROFILE}"
WHEELS="$CACHE/bench-wheels${BENCH_PROFILE:+-$BENCH_PROFILE}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" || { python3 -m pip install --user virtualenv && python3 -m virtualenv "$VENV"; }
fi
"$VENV/bin/python" -m pip install --quiet msgraph-sdk==1.65.0 httpx==0.28.1 maturin==1.16.0
rm -rf "$WHEELS"
# BENCH_PROFILE=dev (the CI smoke): a debug wheel that reuses the test suites' build.
"$VENV/bin/maturin" build --quiet ${BENCH_PROFILE:+--profile "$BENCH_PROFILE"} -m "$HERE/../Cargo.toml" \
    --interpreter "$VENV/bin/python" -o "$WHEELS"
"$VENV/bin/python" -m pip install --quiet --force-reinstall --no-deps "$WHEELS"/entra_invite-*.whl
# bench/run.sh only wants the venv: it runs its own workloads (client.py) with this python.
if [ -n "${BENCH_SETUP_ONLY:-}" ]; then echo "$VENV/bin/python"; exit 0; fi
exec "$VENV/bin/python" "$HERE/bench.py" "$@"
