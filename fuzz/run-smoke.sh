#!/usr/bin/env bash
# Runs every fuzz target for a while (default 10 s each; FUZZ_SECONDS to change), with nightly
# Rust and cargo-fuzz. Prints libFuzzer's execution count per target; fails on any crash.
set -uo pipefail
cd "$(dirname "$0")"
secs="${FUZZ_SECONDS:-10}"
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz smoke skipped: no nightly Rust toolchain on this machine (cargo fuzz needs one)"
  exit 0
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked || exit 1
status=0
for t in retry_after odata_lookup bulk_csv graph_answer; do
  echo "== fuzz $t (${secs}s)"
  log=$(mktemp)
  if cargo +nightly fuzz run "$t" -- -max_total_time="$secs" >"$log" 2>&1; then
    grep -E "Done [0-9]+ runs" "$log" || tail -3 "$log"
  else
    tail -40 "$log"
    status=1
  fi
  rm -f "$log"
done
exit $status
