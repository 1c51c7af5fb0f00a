#!/usr/bin/env bash
# Proves the Graph emulator serves Microsoft's own SDKs unchanged:
#   python/  msgraph-sdk (PyPI) over plain http, static token from POST /_emulator/tokens
#   node/    @microsoft/microsoft-graph-client v3 over https (emulator --https, NODE_EXTRA_CA_CERTS)
#
# Needs only python3 (with venv), node/npm and cargo. Builds the emulator (debug) if needed, keeps a
# Python venv in ${ENTRA_INVITE_CACHE:-$HOME/.cache/entra-invite}/sdk-venv keyed on a hash of
# python/requirements.txt, runs `npm ci` in node/, starts one emulator per SDK on an ephemeral
# port, runs pytest and `node --test`, and always stops the emulators. Exits non-zero if anything
# fails. Optional: GRAPH_EMULATOR_BIN=<path> skips the cargo build; SDK_COMPAT_ONLY=python|node
# runs one side only.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CACHE="${ENTRA_INVITE_CACHE:-${HOME:-/tmp}/.cache/entra-invite}"
ONLY="${SDK_COMPAT_ONLY:-all}"
TEST_TIMEOUT="${SDK_COMPAT_TIMEOUT:-900}"   # seconds per test runner

say() { printf '== sdk-compat: %s\n' "$*" >&2; }
die() { printf 'sdk-compat: error: %s\n' "$*" >&2; exit 1; }

for tool in python3 node npm; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/sdk-compat.XXXXXX")"
EMULATOR_PIDS=()
cleanup() {
  local pid
  for pid in "${EMULATOR_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${EMULATOR_PIDS[@]}"; do
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------ emulator binary
if [[ -n "${GRAPH_EMULATOR_BIN:-}" ]]; then
  BIN="$GRAPH_EMULATOR_BIN"
else
  command -v cargo >/dev/null || die "cargo is required (or set GRAPH_EMULATOR_BIN)"
  say "building graph-emulator (cargo build -p entra-invite-emulator --bin graph-emulator)"
  # The artifact path comes from cargo itself, so CARGO_TARGET_DIR (relative or absolute) and any
  # build.target-dir setting are honoured as cargo understands them from the workspace root.
  if [[ -n "${CARGO_TARGET_DIR:-}" && "$CARGO_TARGET_DIR" != /* ]]; then
    CARGO_TARGET_DIR="$PWD/$CARGO_TARGET_DIR"
    export CARGO_TARGET_DIR
  fi
  (cd "$ROOT" && cargo build -p entra-invite-emulator --bin graph-emulator \
      --message-format=json-render-diagnostics) >"$WORK/cargo.json" \
    || die "cargo build of graph-emulator failed"
  BIN="$(python3 - "$WORK/cargo.json" <<'PY'
import json, sys
exe = ""
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        msg = json.loads(line)
    except ValueError:
        continue
    if msg.get("reason") == "compiler-artifact" and msg.get("target", {}).get("name") == "graph-emulator":
        exe = msg.get("executable") or exe
print(exe)
PY
)"
fi
[[ -n "$BIN" && -x "$BIN" ]] || die "graph-emulator binary not found (got '$BIN')"

# start_emulator NAME [ARGS...]: starts the emulator on an ephemeral loopback port and sets
# EMULATOR_URL from its first stdout line, "listening on <url>".
start_emulator() {
  local name="$1"; shift
  local out="$WORK/$name.stdout" log="$WORK/$name.log" line="" pid
  NO_COLOR=1 "$BIN" --listen 127.0.0.1:0 "$@" >"$out" 2>"$log" &
  pid=$!
  EMULATOR_PIDS+=("$pid")
  for _ in $(seq 1 300); do
    if [[ -s "$out" ]] && [[ "$(wc -l <"$out")" -ge 1 ]]; then
      IFS= read -r line <"$out" || true
      break
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$log" >&2 || true
      die "emulator '$name' exited before it was listening"
    fi
    sleep 0.1
  done
  [[ "$line" == "listening on "* ]] || { cat "$log" >&2 || true; die "emulator '$name': unexpected first line '$line'"; }
  EMULATOR_URL="${line#listening on }"
  say "emulator '$name' (pid $pid) at $EMULATOR_URL"
}

show_log_tail() {
  local log="$WORK/$1.log"
  if [[ -s "$log" ]]; then
    say "last lines of the '$1' emulator log:"
    tail -n 40 "$log" >&2 || true
  fi
}

with_timeout() {
  if command -v timeout >/dev/null; then timeout --kill-after=10 "$TEST_TIMEOUT" "$@"; else "$@"; fi
}

status=0

# ------------------------------------------------------------------ Python: msgraph-sdk over http
if [[ "$ONLY" == all || "$ONLY" == python ]]; then
  REQS="$HERE/python/requirements.txt"
  VENV="$CACHE/sdk-venv"
  KEY="$( { cat "$REQS"; python3 -c 'import sys; print(sys.version)'; } | python3 -c \
    'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')"
  if [[ -x "$VENV/bin/python" && "$(cat "$VENV/.requirements-sha256" 2>/dev/null)" == "$KEY" ]]; then
    say "reusing Python venv $VENV"
  else
    say "creating Python venv $VENV (requirements changed or absent)"
    mkdir -p "$CACHE"
    rm -rf "$VENV"
    python3 -m venv "$VENV" || die "python3 -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$REQS" \
      || { rm -rf "$VENV"; die "pip install -r $REQS failed"; }
    printf '%s\n' "$KEY" >"$VENV/.requirements-sha256"
  fi

  start_emulator python
  say "pytest (msgraph-sdk $("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("msgraph-sdk"))'))"
  if (cd "$HERE/python" && GRAPH_EMULATOR_URL="$EMULATOR_URL" PYTHONDONTWRITEBYTECODE=1 \
        with_timeout "$VENV/bin/python" -m pytest -p no:cacheprovider -q -rfE test_msgraph_sdk.py); then
    :
  else
    status=1
    show_log_tail python
  fi
fi

# ------------------------------------------------------------------ Node: microsoft-graph-client over https
if [[ "$ONLY" == all || "$ONLY" == node ]]; then
  say "npm ci (node/)"
  (cd "$HERE/node" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"

  PEM="$WORK/emulator-ca.pem"
  start_emulator node --https "$PEM"
  [[ "$EMULATOR_URL" == https://* ]] || die "emulator started with --https printed a non-https URL: $EMULATOR_URL"
  [[ -s "$PEM" ]] || die "emulator did not write its certificate to $PEM"
  say "node --test (@microsoft/microsoft-graph-client $(cd "$HERE/node" && node -p 'require("@microsoft/microsoft-graph-client/package.json").version' 2>/dev/null || echo '?'))"
  if (cd "$HERE/node" && GRAPH_EMULATOR_URL="$EMULATOR_URL" GRAPH_EMULATOR_CA="$PEM" NODE_EXTRA_CA_CERTS="$PEM" \
        with_timeout node --test test_graph_client.mjs); then
    :
  else
    status=1
    show_log_tail node
  fi
fi

if [[ "$status" -ne 0 ]]; then
  say "FAILED"
else
  say "all SDK compatibility tests passed"
fi
exit "$status"
