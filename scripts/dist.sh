#!/usr/bin/env bash
# Builds the release artifacts into dist/ (`make dist`: every Linux target; `make dist-host`: this
# machine's only, as CI does). The one place that knows how an artifact is built: the release
# workflow calls it too.
#
#   scripts/dist.sh [--host] [--targets "TRIPLE ..."] [--only python|node|kotlin|cli]
#
# Layout: dist/python (abi3 wheels + sdist, testing wheels), dist/node (npm tarballs: main,
# per-platform, testing), dist/kotlin (a Maven file repository), dist/cli (archives + SHA256SUMS).
# Cross targets are linked with zig (ziglang and cargo-zigbuild from PyPI, in a cached venv).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export ENTRA_INVITE_CACHE="${ENTRA_INVITE_CACHE:-$HOME/.cache/entra-invite}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ENTRA_INVITE_CACHE/target}"
ALL_TARGETS="x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl"
host="$(rustc -vV | sed -n 's/^host: //p')"
targets="$ALL_TARGETS"
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --host) targets="$host" ;;
    --targets) targets="$2"; shift ;;
    --only) only="$2"; shift ;;
    *) echo "usage: $0 [--host] [--targets \"TRIPLE ...\"] [--only python|node|kotlin|cli]" >&2; exit 2 ;;
  esac
  shift
done
export DIST_DIR="$ROOT/dist" DIST_TARGETS="$targets" DIST_HOST="$host"
# The size-optimised release profile (Cargo.toml `dist`) unless told otherwise.
export DIST_PROFILE="${DIST_PROFILE:-dist}"
export DIST_TOOLS="$ENTRA_INVITE_CACHE/dist-venv"
mkdir -p "$DIST_DIR"

# Build tools: zig (linker for cross targets and old-glibc x86_64), maturin, checks.
if [ ! -x "$DIST_TOOLS/bin/maturin" ] || ! "$DIST_TOOLS/bin/python" -c 'import ziglang' 2>/dev/null; then
  python3 -m venv "$DIST_TOOLS"
  "$DIST_TOOLS/bin/pip" install --quiet maturin==1.16.0 ziglang==0.15.2 cargo-zigbuild==0.24.0 \
    twine==7.0.0 auditwheel==6.8.2
fi
export PATH="$DIST_TOOLS/bin:$PATH"
for t in $targets; do
  rustup target list --installed | grep -qx "$t" || rustup target add "$t"
done

for part in python node kotlin cli; do
  if [ -n "$only" ] && [ "$only" != "$part" ]; then continue; fi
  printf '\n== dist: %s (%s)\n' "$part" "$targets"
  bash "$ROOT/scripts/dist/$part.sh"
done
printf '\n== dist/\n'
(cd "$DIST_DIR" && find . -type f \( -name '*.whl' -o -name '*.tar.gz' -o -name '*.tgz' -o -name '*.jar' -o -name SHA256SUMS \) -printf '%8k KiB  %p\n' | sort -k3)
