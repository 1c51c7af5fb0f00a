#!/usr/bin/env bash
# The CLI as static musl executables: dist/cli/entra-invite-<version>-<target>.tar.gz for x86_64
# and aarch64 Linux (whichever DIST_TARGETS names), and SHA256SUMS over them. Called by
# scripts/dist.sh, which sets DIST_DIR, DIST_TARGETS, DIST_PROFILE and puts zig on PATH.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
out="$DIST_DIR/cli"
rm -rf "$out"
mkdir -p "$out"
version="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "entra-invite-cli"))')"
# One static build per architecture, whatever libc the other artifacts target.
arches=$(for t in $DIST_TARGETS; do echo "${t%%-*}"; done | sort -u)
for arch in $arches; do
  target="$arch-unknown-linux-musl"
  rustup target list --installed | grep -qx "$target" || rustup target add "$target"
  echo "-- cargo zigbuild -p entra-invite-cli --target $target --profile $DIST_PROFILE"
  cargo zigbuild --quiet -p entra-invite-cli --bin entra-invite --target "$target" --profile "$DIST_PROFILE"
  exe="$CARGO_TARGET_DIR/$target/$DIST_PROFILE/entra-invite"
  name="entra-invite-$version-$target"
  stage="$(mktemp -d)/$name"
  mkdir -p "$stage"
  cp "$exe" "$stage/entra-invite"
  cp README.md "$stage/README.md"
  # Reproducible archive: fixed owner, order and times.
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00Z' \
    -C "$(dirname "$stage")" -czf "$out/$name.tar.gz" "$name"
  rm -rf "$(dirname "$stage")"
done
(cd "$out" && sha256sum -- *.tar.gz > SHA256SUMS && cat SHA256SUMS)
