#!/usr/bin/env bash
# dist/python: abi3 wheels (cp310+) of entra-invite and of its test-support package
# entra-invite-testing for each target in DIST_TARGETS, plus the sdist of entra-invite; then
# `twine check --strict` and `auditwheel show` (the tag each wheel claims must hold).
# Called by scripts/dist.sh, which exports DIST_DIR, DIST_TARGETS, DIST_PROFILE and puts
# DIST_TOOLS (maturin, ziglang, cargo-zigbuild, twine, auditwheel) on PATH.
#
#   x86_64/aarch64 gnu  -> manylinux_2_28 (linked by zig against glibc 2.28)
#   x86_64 musl         -> musllinux_1_2  (zig)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
: "${DIST_DIR:?run through scripts/dist.sh}" "${DIST_TARGETS:?}" "${DIST_PROFILE:=dist}"
OUT="$DIST_DIR/python"
PKGS=("$ROOT/bindings-python" "$ROOT/bindings-python/testing")
mkdir -p "$OUT"

# The two packages require each other's version (testing: entra-invite; main: the [testing]
# extra): both pins must follow the workspace.
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -1)"
for pin in "bindings-python/testing/pyproject.toml:entra-invite==$version" \
           "bindings-python/pyproject.toml:entra-invite-testing==$version"; do
  if ! grep -q "\"${pin#*:}\"" "$ROOT/${pin%%:*}"; then
    echo "dist/python: ${pin%%:*} must name ${pin#*:} (the workspace's version)" >&2
    exit 1
  fi
done

platform_tag() {   # the wheel platform tag we build for a target triple
  case "$1" in
    x86_64-unknown-linux-gnu) echo manylinux_2_28_x86_64 ;;
    aarch64-unknown-linux-gnu) echo manylinux_2_28_aarch64 ;;
    x86_64-unknown-linux-musl) echo musllinux_1_2_x86_64 ;;
    *) echo "dist/python: unsupported target $1" >&2; return 1 ;;
  esac
}

# maturin's zig wrapper differs from cargo-zigbuild's (the other parts): a target dir of its own
# keeps either from rebuilding the other's dependencies every time.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/maturin-zig"

built=()
for target in $DIST_TARGETS; do
  tag="$(platform_tag "$target")"
  compat="$(sed -E 's/_(x86_64|aarch64)$//' <<<"$tag")"      # manylinux_2_28 / musllinux_1_2
  rm -f "$OUT"/entra_invite-*-"$tag".whl "$OUT"/entra_invite_testing-*-"$tag".whl
  for pkg in "${PKGS[@]}"; do
    printf -- '-- %s for %s (%s, profile %s)\n' "${pkg#"$ROOT"/}" "$target" "$compat" "$DIST_PROFILE"
    nice maturin build --quiet --profile "$DIST_PROFILE" -m "$pkg/Cargo.toml" \
      --target "$target" --zig --compatibility "$compat" -o "$OUT"
  done
  for w in "$OUT"/entra_invite-*-"$tag".whl "$OUT"/entra_invite_testing-*-"$tag".whl; do
    [ -f "$w" ] || { echo "dist/python: no wheel for $tag ($w)" >&2; exit 1; }
    built+=("$w")
  done
done

rm -f "$OUT"/entra_invite-*.tar.gz
printf -- '-- sdist of bindings-python\n'
maturin sdist -m "$ROOT/bindings-python/Cargo.toml" -o "$OUT" >/dev/null
sdist="$(ls "$OUT"/entra_invite-*.tar.gz)"

printf -- '-- twine check --strict\n'
twine check --strict "${built[@]}" "$sdist"

# auditwheel show: the most compatible tag it finds must be at least as old as the one the
# wheel claims (same libc family and architecture), and no library may be left outside.
printf -- '-- auditwheel show\n'
for w in "${built[@]}"; do
  # auditwheel reads a glibc host's libraries: a musllinux wheel is checked by its ELF
  # instead (the musl loader and libc.so as its only libraries).
  case "$w" in
    *musllinux*)
      so="$(mktemp -d)"
      python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in z.namelist() if n.endswith(".so")]' "$w" "$so"
      needed="$(find "$so" -name '*.so' -exec readelf -d {} \; | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u | tr '\n' ' ')"
      rm -rf "$so"
      if [ "$needed" != "libc.so " ]; then
        echo "dist/python: $(basename "$w") needs $needed(only libc.so expected)" >&2; exit 1
      fi
      printf '   %-26s needs only libc.so  ok\n' "$(basename "$w" .whl | sed 's/.*-//')"
      continue ;;
  esac
  report="$(auditwheel show "$w" 2>&1 | tr -s ' \n' '  ')" || { echo "$report" >&2; exit 1; }
  claimed="$(basename "$w" .whl)"; claimed="${claimed##*-}"
  found="$(sed -n 's/.*consistent with the following platform tag: "\([^"]*\)".*/\1/p' <<<"$report")"
  python3 - "$claimed" "$found" "$report" <<'PY'
import re, sys
claimed, found, report = sys.argv[1:4]
def parse(tag):
    m = re.fullmatch(r"(manylinux|musllinux)_(\d+)_(\d+)_(\w+)", tag)
    return (m.group(1), (int(m.group(2)), int(m.group(3))), m.group(4)) if m else None
c, f = parse(claimed), parse(found)
ok = c is not None and f is not None and c[0] == f[0] and c[2] == f[2] and f[1] <= c[1]
if ok and re.search(r"requires? (the )?external|not (be )?compliant|could not", report, re.I):
    ok = False
print(f"   {claimed:26} auditwheel: {found or '?'}  {'ok' if ok else 'PROBLEM'}")
if not ok:
    print(report, file=sys.stderr)
    sys.exit(1)
PY
done

printf -- '-- dist/python\n'
for f in "${built[@]}" "$sdist"; do
  printf '%8s KiB  %s\n' "$(( ($(stat -c %s "$f") + 1023) / 1024 ))" "$(basename "$f")"
done
