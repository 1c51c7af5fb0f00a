#!/usr/bin/env bash
# Builds the uniffi library and its separate testing library (debug), generates the Kotlin and
# Swift sources of both with the workspace's own uniffi-bindgen, and runs the Kotlin (Maven +
# JUnit 5) and Swift (SwiftPM + XCTest) suites against the in-process Graph emulator (which only
# the testing library, libentra_invite_ffi_testing, contains). The production library holds two
# uniffi namespaces: core's records and enums (crate entra_invite, named by bindgen.toml) and
# this crate's client and error (crate entra_invite_ffi, named by uniffi.toml).
#
#   uniffi/run-tests.sh [all|kotlin|swift]      (default: all)
#
# Honours CARGO_TARGET_DIR. Caches (Maven repository, the Swift toolchain) live under
# ${ENTRA_INVITE_CACHE:-$HOME/.cache/entra-invite}. Needs root for Swift (see swift/toolchain.sh);
# installs a JDK and Maven with apt-get when they are missing.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd -P)
repo=$(dirname "$here")
cd "$repo"
what=${1:-all}
case "$what" in all|kotlin|swift) ;; *) echo "usage: $0 [all|kotlin|swift]" >&2; exit 2 ;; esac
export ENTRA_INVITE_CACHE="${ENTRA_INVITE_CACHE:-$HOME/.cache/entra-invite}"
mkdir -p "$ENTRA_INVITE_CACHE"
target=${CARGO_TARGET_DIR:-$repo/target}
mkdir -p "$target"
target=$(cd "$target" && pwd -P)
lib="$target/debug/libentra_invite_ffi.so"
testing_lib="$target/debug/libentra_invite_ffi_testing.so"
bindgen="$target/debug/uniffi-bindgen"
build="$here/build"

step() { printf '\n== %s\n' "$*"; }

step "cargo build (entra-invite-ffi, uniffi-bindgen; then entra-invite-ffi-testing)"
# Two builds: in one, cargo would turn core's `uniffi` feature on for the testing library too,
# and both libraries would export core's namespace (Swift links both into one process).
cargo build -p entra-invite-ffi -p entra-invite-uniffi-bindgen
cargo build -p entra-invite-ffi-testing

step "the production library contains no emulator"
# The emulator's control routes are in the testing library only (the Kotlin suite checks it too).
n_prod=$(grep -c -a -F '/_emulator/' "$lib" || true)
n_testing=$(grep -c -a -F '/_emulator/' "$testing_lib" || true)
echo "/_emulator/ in $(basename "$lib"): $n_prod; in $(basename "$testing_lib"): $n_testing"
if [ "$n_prod" != 0 ] || [ "$n_testing" = 0 ]; then
  echo "run-tests: the emulator must be in the testing library only" >&2
  exit 1
fi

step "uniffi-bindgen generate (Kotlin, Swift; production and testing)"
rm -rf "$build/bindings"
mkdir -p "$build/bindings/kotlin" "$build/bindings/swift" "$build/bindings/kotlin-testing" "$build/bindings/swift-testing"
gen=(generate --no-format --config "$here/bindgen.toml")
"$bindgen" "${gen[@]}" "$lib" --language kotlin --out-dir "$build/bindings/kotlin"
"$bindgen" "${gen[@]}" "$lib" --language swift --out-dir "$build/bindings/swift"
# The testing library's own namespace only (core's types are the production library's).
gen+=(--crate entra_invite_ffi_testing)
"$bindgen" "${gen[@]}" "$testing_lib" --language kotlin --out-dir "$build/bindings/kotlin-testing"
"$bindgen" "${gen[@]}" "$testing_lib" --language swift --out-dir "$build/bindings/swift-testing"

status=0
summary=()

run_kotlin() {
  if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
    step "installing a JDK and Maven"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
  fi
  step "Kotlin: mvn test"
  local rc=0 reports="$here/kotlin/target/surefire-reports"
  rm -rf "$reports"
  mvn -B -ntp -f "$here/kotlin/pom.xml" \
    -Dmaven.repo.local="$ENTRA_INVITE_CACHE/m2" \
    -Dentra.lib.dir="$target/debug" \
    -Dentra.bindings.dir="$build/bindings/kotlin" \
    -Dentra.testing.bindings.dir="$build/bindings/kotlin-testing" \
    -Dentra.scenarios.dir="$repo/tests/scenarios" \
    test || rc=$?
  # One line from Surefire's XML reports: tests, failures + errors, skipped.
  local line
  line=$(cat "$reports"/TEST-*.xml 2>/dev/null | awk '
    /<testsuite / {
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^tests=/) { gsub(/[^0-9]/, "", $i); t += $i }
        if ($i ~ /^failures=/) { gsub(/[^0-9]/, "", $i); f += $i }
        if ($i ~ /^errors=/) { gsub(/[^0-9]/, "", $i); f += $i }
        if ($i ~ /^skipped=/) { gsub(/[^0-9]/, "", $i); s += $i }
      }
    }
    END { printf "%d passed, %d failed, %d skipped", t - f - s, f, s }')
  summary+=("Kotlin: ${line:-no test report} (mvn exit $rc)")
  [ $rc = 0 ] || status=1
}

run_swift() {
  local pkg="$here/swift" libdir="$target/debug"
  step "Swift: toolchain (cached in $ENTRA_INVITE_CACHE/swift)"
  bash "$pkg/toolchain.sh" setup >/dev/null
  bash "$pkg/toolchain.sh" version | head -n1
  # The generated modules go into the package: the C headers + a module map that links the
  # library (system-library targets EntraInviteFFI, EntraInviteTestingFFI), the Swift into the
  # EntraInvite and EntraInviteTesting targets. The production library's two namespaces are one
  # Swift module (EntraInvite.swift and EntraInviteModels.swift, both headers in EntraInviteFFI).
  local module swift_dir link h
  for module in EntraInvite EntraInviteTesting; do
    if [ "$module" = EntraInvite ]; then swift_dir=swift link=entra_invite_ffi
    else swift_dir=swift-testing link=entra_invite_ffi_testing; fi
    rm -rf "$pkg/Sources/${module}FFI"
    mkdir -p "$pkg/Sources/${module}FFI" "$pkg/Sources/$module"
    cp "$build/bindings/$swift_dir/"*.h "$pkg/Sources/${module}FFI/"
    {
      echo "module ${module}FFI {"
      for h in "$build/bindings/$swift_dir/"*.h; do echo "    header \"$(basename "$h")\""; done
      echo "    link \"$link\""
      echo '    export *'
      echo '}'
    } >"$pkg/Sources/${module}FFI/module.modulemap"
    cp "$build/bindings/$swift_dir/"*.swift "$pkg/Sources/$module/"
  done
  step "Swift: swift test"
  local rc=0 log="$build/swift-test.log" first="RuntimeTests/test1LoadingTheLibraryStartsNoThread"
  : >"$log"
  # The repository (package, scenarios) and the library directory are visible inside at
  # their own paths. The "loading starts no thread" test needs a process where nothing has
  # called the library yet: it runs alone first, then everything else.
  local args=(swift test --package-path "$pkg" --scratch-path "$build/swift" --disable-swift-testing
    -Xlinker -L"$libdir" -Xlinker -rpath -Xlinker "$libdir")
  bash "$pkg/toolchain.sh" run -b "$repo" -b "$libdir" -b "$build" -- "${args[@]}" --filter "$first" 2>&1 |
    tee -a "$log" || rc=$?
  bash "$pkg/toolchain.sh" run -b "$repo" -b "$libdir" -b "$build" -- "${args[@]}" --skip "$first" 2>&1 |
    tee -a "$log" || rc=$?
  # XCTest ends each run with "Executed N tests, with M failures": add up the two runs' totals
  # (the last such line of each run is its grand total).
  local line
  line=$(awk '
    /Test Suite .(All|Selected) tests. (passed|failed)/ { grab = 1; next }
    grab && /Executed [0-9]+ tests?, with [0-9]+ failures?/ {
      match($0, /Executed [0-9]+/); n += substr($0, RSTART + 9, RLENGTH - 9)
      match($0, /with [0-9]+/); f += substr($0, RSTART + 5, RLENGTH - 5)
      grab = 0; runs++
    }
    END { if (runs) printf "%d passed, %d failed", n - f, f }' "$log")
  summary+=("Swift: ${line:-no test summary} (swift test exit $rc)")
  [ $rc = 0 ] || status=1
}

case "$what" in
  all) run_kotlin; run_swift ;;
  kotlin) run_kotlin ;;
  swift) run_swift ;;
esac

step "summary"
for s in "${summary[@]}"; do echo "$s"; done
exit $status
