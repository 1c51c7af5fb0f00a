#!/usr/bin/env bash
# Installs this machine's artifacts from dist/ as a user would, in fresh folders outside the
# repository, with a PATH that holds no cargo, rustc or C compiler, and runs the README's
# examples in each language against the emulator from the testing packages.
#
#   scripts/install-test.sh [python|node|kotlin|cli ...]      (default: all)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export DIST_DIR="${DIST_DIR:-$ROOT/dist}"
export ENTRA_INVITE_CACHE="${ENTRA_INVITE_CACHE:-$HOME/.cache/entra-invite}"
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(python node kotlin cli)

# A PATH of links to the few tools a user has (python3, node, npm, java, mvn, tar, coreutils),
# and nothing that could compile: a package that needs building fails here.
bin="$(mktemp -d)/bin"
mkdir -p "$bin"
for t in bash sh env python3 node npm npx java mvn tar gzip sha256sum grep sed awk cat ls mkdir rm cp mv \
         head tail sort wc find dirname basename uname mktemp tr cut xargs file readelf unzip sleep kill expr du; do
  p="$(command -v "$t" 2>/dev/null)" && ln -sf "$p" "$bin/$t"
done
# A version manager's shim (pyenv's python3 is a script that needs pyenv on PATH): link the
# interpreter itself.
if py="$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)" && [ -x "$py" ]; then
  ln -sf "$py" "$bin/python3"
fi
export PATH="$bin"
for forbidden in cargo rustc cc gcc clang zig; do
  if command -v "$forbidden" >/dev/null 2>&1; then
    echo "install-test: $forbidden is on PATH" >&2; exit 1
  fi
done
export INSTALL_TEST_WORK="$(mktemp -d /tmp/entra-invite-install-test.XXXXXX)"

failed=()
for part in "${parts[@]}"; do
  printf '\n== install test: %s\n' "$part"
  if bash "$ROOT/scripts/install-test/$part.sh"; then
    printf '== install test: %s: ok\n' "$part"
  else
    printf '== install test: %s: FAILED\n' "$part"
    failed+=("$part")
  fi
done
rm -rf "$INSTALL_TEST_WORK"
printf '\ninstall tests: %d passed, %d failed\n' $(( ${#parts[@]} - ${#failed[@]} )) ${#failed[@]}
[ ${#failed[@]} -eq 0 ]
