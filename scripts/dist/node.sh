#!/usr/bin/env bash
# dist/node: the npm packages, in the napi-rs layout, for each target in DIST_TARGETS:
#   entra-invite-<version>.tgz                  the main package: JavaScript and types, no addon;
#                                               its optionalDependencies name the platform packages
#   entra-invite-linux-<cpu>-<abi>-<version>.tgz one per platform: the production addon, with
#                                               os/cpu/libc so npm installs only the matching one
#   entra-invite-testing-<version>.tgz          the optional test-support package (the emulator),
#                                               with one addon per built platform inside
# Called by scripts/dist.sh, which exports DIST_DIR, DIST_TARGETS, DIST_PROFILE and puts
# DIST_TOOLS (ziglang, cargo-zigbuild) on PATH. Every addon is linked by zig: glibc 2.28 for the
# gnu targets (what Node 20's own Linux builds need), musl as a shared library for musl.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
: "${DIST_DIR:?run through scripts/dist.sh}" "${DIST_TARGETS:?}" "${DIST_PROFILE:=dist}"
OUT="$DIST_DIR/node"
PKG="$ROOT/bindings-node"
target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
version="$(node -p "require('$PKG/package.json').version")"
cargo_version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)"
for p in "$PKG/package.json" "$PKG/testing/package.json"; do
  v="$(node -p "require('$p').version")"
  [ "$v" = "$cargo_version" ] || { echo "dist/node: $p has version $v, the workspace $cargo_version" >&2; exit 1; }
done
grep -q "\"entra-invite\": \"$version\"" "$PKG/testing/package.json" ||
  { echo "dist/node: bindings-node/testing/package.json must peer-depend on entra-invite $version" >&2; exit 1; }

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
rm -rf "$OUT"
mkdir -p "$OUT" "$stage/testing"

# napi-rs platform name, package.json cpu and libc of a target triple.
platform_of() {
  case "$1" in
    x86_64-unknown-linux-gnu) echo "linux-x64-gnu x64 glibc" ;;
    aarch64-unknown-linux-gnu) echo "linux-arm64-gnu arm64 glibc" ;;
    x86_64-unknown-linux-musl) echo "linux-x64-musl x64 musl" ;;
    *) echo "dist/node: unsupported target $1" >&2; return 1 ;;
  esac
}

platforms=()
for target in $DIST_TARGETS; do
  read -r platform cpu libc <<<"$(platform_of "$target")"
  zig_target="$target"
  case "$target" in
    *-gnu) zig_target="$target.2.28" ;;
    # Rust links musl statically by default, which rules out a shared library (the addon).
    *-musl) export CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="-C target-feature=-crt-static" ;;
  esac
  printf -- '-- addons for %s (%s, profile %s)\n' "$platform" "$zig_target" "$DIST_PROFILE"
  nice cargo zigbuild --quiet -p entra-invite-node -p entra-invite-node-testing \
    --target "$zig_target" --profile "$DIST_PROFILE"
  built="$target_dir/$target/$DIST_PROFILE"

  # The platform package: the production addon alone.
  dir="$stage/entra-invite-$platform"
  mkdir -p "$dir"
  cp "$built/libentra_invite_node.so" "$dir/entra-invite.$platform.node"
  node - "$dir" "$platform" "$cpu" "$libc" "$version" "$target" <<'JS'
const fs = require('node:fs')
const [dir, platform, cpu, libc, version, target] = process.argv.slice(2)
const file = `entra-invite.${platform}.node`
const pkg = {
  name: `entra-invite-${platform}`,
  version,
  description: `The ${target} native addon of entra-invite (installed by entra-invite as an optional dependency)`,
  license: 'MIT',
  os: ['linux'],
  cpu: [cpu],
  libc: [libc],
  main: file,
  files: [file],
  engines: { node: '>=20' },
}
fs.writeFileSync(`${dir}/package.json`, JSON.stringify(pkg, null, 2) + '\n')
fs.writeFileSync(`${dir}/README.md`, `# entra-invite-${platform}\n\nThe \`${target}\` native addon of [entra-invite](https://www.npmjs.com/package/entra-invite). Do not install it directly: \`npm install entra-invite\` installs the one for your platform.\n`)
JS
  (cd "$OUT" && npm pack --silent "$dir" >/dev/null)

  # The testing package carries the emulator addon of every built platform.
  cp "$built/libentra_invite_node_testing.so" "$stage/testing/entra-invite-testing.$platform.node"
  platforms+=("$platform")
done

# The main package: a staged copy of bindings-node's published files (no addon) whose package.json
# drops the development fields and names the platform packages, at this version, as optional.
printf -- '-- entra-invite %s (main package; platforms: %s)\n' "$version" "${platforms[*]}"
main="$stage/entra-invite"
mkdir -p "$main"
(cd "$PKG" && node -e '
const fs = require("node:fs"), path = require("node:path")
const pkg = require("./package.json")
for (const f of pkg.files) if (!f.includes("*")) fs.copyFileSync(f, path.join(process.argv[1], f))
fs.copyFileSync("README.md", path.join(process.argv[1], "README.md"))
' "$main")
node - "$PKG/package.json" "$main/package.json" "$version" "${platforms[@]}" <<'JS'
const fs = require('node:fs')
const [src, dst, version, ...platforms] = process.argv.slice(2)
const pkg = JSON.parse(fs.readFileSync(src, 'utf8'))
delete pkg.devDependencies
delete pkg.scripts
pkg.files = pkg.files.filter((f) => !f.endsWith('.node'))
pkg.optionalDependencies = Object.fromEntries(platforms.map((p) => [`entra-invite-${p}`, version]))
fs.writeFileSync(dst, JSON.stringify(pkg, null, 2) + '\n')
JS
(cd "$OUT" && npm pack --silent "$main" >/dev/null)

# The testing package: its JavaScript, types and README, and the addons copied above.
printf -- '-- entra-invite-testing %s (emulator addons: %s)\n' "$version" "${platforms[*]}"
cp "$PKG"/testing/{package.json,index.js,index.mjs,index.d.ts,binding.js,README.md} "$stage/testing/"
(cd "$OUT" && npm pack --silent "$stage/testing" >/dev/null)

# Checks: the main tarball has no addon; each platform tarball has exactly its addon, for its
# machine; the testing tarball has one addon per platform.
printf -- '-- checks\n'
# (listings are read whole: `tar | grep -q` would end tar early and fail the pipe)
listing="$(tar -tzf "$OUT/entra-invite-$version.tgz")"
if grep -q '\.node$' <<<"$listing"; then echo "dist/node: the main package contains an addon" >&2; exit 1; fi
testing_listing="$(tar -tzf "$OUT/entra-invite-testing-$version.tgz")"
for platform in "${platforms[@]}"; do
  tgz="$OUT/entra-invite-$platform-$version.tgz"
  addon="package/entra-invite.$platform.node"
  grep -qx "$addon" <<<"$(tar -tzf "$tgz")" || { echo "dist/node: $tgz lacks $addon" >&2; exit 1; }
  grep -qx "package/entra-invite-testing.$platform.node" <<<"$testing_listing" ||
    { echo "dist/node: the testing package lacks its $platform addon" >&2; exit 1; }
  mkdir -p "$stage/check-$platform"
  tar -xzf "$tgz" -C "$stage/check-$platform" "$addon"
  tar -xzf "$OUT/entra-invite-testing-$version.tgz" -C "$stage/check-$platform" "package/entra-invite-testing.$platform.node"
  case "$platform" in *x64*) want="Advanced Micro Devices X86-64" ;; *arm64*) want="AArch64" ;; esac
  for f in "$stage/check-$platform"/package/*.node; do
    machine="$(readelf -h "$f" | sed -n 's/^ *Machine: *//p')"
    [ "$machine" = "$want" ] || { echo "dist/node: $(basename "$f"): ELF machine $machine, expected $want" >&2; exit 1; }
    printf '   %-42s Machine: %s\n' "$(basename "$f")" "$machine"
  done
  printf '   %-34s %s\n' "entra-invite-$platform" "$(tar -xzOf "$tgz" package/package.json | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      const p = JSON.parse(s); process.stdout.write(`os=${p.os} cpu=${p.cpu} libc=${p.libc} main=${p.main}`) })')"
done
(cd "$OUT" && for f in *.tgz; do printf '   %8s KiB  %s\n' "$(( $(wc -c <"$f") / 1024 ))" "$f"; done)
