#!/usr/bin/env bash
# Kotlin (JVM): dist/kotlin/repo, a Maven file repository holding
#   com.entrainvite:entra-invite:<version>          the bindings + libentra_invite_ffi.so
#   com.entrainvite:entra-invite-testing:<version>  the emulator for tests + libentra_invite_ffi_testing.so
# each a jar with the native libraries under JNA's resource prefixes (linux-x86-64/,
# linux-aarch64/: the gnu targets of DIST_TARGETS, linked by zig against glibc 2.28 like the
# manylinux_2_28 wheels), with its POM (and checksums, maven-metadata.xml) as `mvn deploy` lays
# them out. The libraries need no stripping: the `dist` profile leaves no symbol table beyond the
# dynamic symbols. Called by scripts/dist.sh, which sets DIST_DIR, DIST_TARGETS, DIST_HOST, DIST_PROFILE
# and puts zig and cargo-zigbuild on PATH. Maven's cache is $ENTRA_INVITE_CACHE/m2 (as in
# uniffi/run-tests.sh); JDK and Maven come from apt-get when missing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
ENTRA_INVITE_CACHE="${ENTRA_INVITE_CACHE:-$HOME/.cache/entra-invite}"
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ENTRA_INVITE_CACHE/target}"
DIST_PROFILE="${DIST_PROFILE:-dist}"
out="$DIST_DIR/kotlin"
repo="$out/repo"
work="$CARGO_TARGET_DIR/dist-kotlin"
m2="$ENTRA_INVITE_CACHE/m2"
kotlin_dir="$ROOT/uniffi/kotlin"

# The jar takes the gnu targets; JNA's resource prefix for each.
jna_prefix() {
  case "$1" in
    x86_64-unknown-linux-gnu) echo linux-x86-64 ;;
    aarch64-unknown-linux-gnu) echo linux-aarch64 ;;
    *) return 1 ;;
  esac
}
targets=()
for t in $DIST_TARGETS; do
  if jna_prefix "$t" >/dev/null; then targets+=("$t"); fi
done
if [ ${#targets[@]} = 0 ]; then
  echo "-- kotlin: no gnu target in DIST_TARGETS ($DIST_TARGETS): nothing to build"
  exit 0
fi

if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
  echo "-- installing a JDK and Maven"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
fi

version="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "entra-invite-ffi"))')"
pom_version="$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$kotlin_dir/pom.xml" | head -n1)"
if [ "$version" != "$pom_version" ]; then
  echo "dist/kotlin: crate version $version but uniffi/kotlin/pom.xml says $pom_version" >&2
  exit 1
fi
# Dependency versions: the ones the suites run with (uniffi/kotlin/pom.xml).
prop() { sed -n "s|.*<$1>\(.*\)</$1>.*|\1|p" "$kotlin_dir/pom.xml" | head -n1; }
kotlin_version="$(prop kotlin.version)"
coroutines_version="$(prop coroutines.version)"
jna_version="$(prop jna.version)"

rm -rf "$work" "$out"
mkdir -p "$work" "$repo"

for t in "${targets[@]}"; do
  prefix="$(jna_prefix "$t")"
  echo "-- cargo zigbuild -p entra-invite-ffi -p entra-invite-ffi-testing --target $t.2.28 --profile $DIST_PROFILE"
  nice cargo zigbuild --quiet -p entra-invite-ffi -p entra-invite-ffi-testing \
    --target "$t.2.28" --profile "$DIST_PROFILE"
  for pair in entra-invite:libentra_invite_ffi.so entra-invite-testing:libentra_invite_ffi_testing.so; do
    artifact="${pair%%:*}" lib="${pair#*:}"
    mkdir -p "$work/native/$artifact/$prefix"
    cp "$CARGO_TARGET_DIR/$t/$DIST_PROFILE/$lib" "$work/native/$artifact/$prefix/$lib"
  done
done
# The production library must not contain the emulator (its control routes are /_emulator/...).
for f in "$work"/native/entra-invite/*/libentra_invite_ffi.so; do
  if grep -q -a -F '/_emulator/' "$f"; then
    echo "dist/kotlin: $f contains the emulator" >&2
    exit 1
  fi
done

# uniffi reads its metadata from the symbol table, which the `dist` build does not keep: the
# sources are generated from the host's debug build of the same code (as uniffi/run-tests.sh
# does). The generated code checks the API checksums of the library it loads, so a mismatch with
# the packaged libraries fails at the first call (the install test makes that call).
echo "-- uniffi-bindgen generate (Kotlin; production and testing)"
nice cargo build --quiet -p entra-invite-ffi -p entra-invite-ffi-testing -p entra-invite-uniffi-bindgen
debug="$CARGO_TARGET_DIR/debug"
# The production library holds two namespaces (core's records and enums, package
# com.entrainvite.models per uniffi/bindgen.toml; the client, com.entrainvite): both go into the
# main jar. The testing library, built in the same cargo run, also carries core's namespace:
# only its own (com.entrainvite.testing) goes into the testing jar.
"$debug/uniffi-bindgen" generate "$debug/libentra_invite_ffi.so" --config "$ROOT/uniffi/bindgen.toml" \
  --language kotlin --no-format --out-dir "$work/bindings/kotlin"
"$debug/uniffi-bindgen" generate "$debug/libentra_invite_ffi_testing.so" --config "$ROOT/uniffi/bindgen.toml" \
  --crate entra_invite_ffi_testing --language kotlin --no-format --out-dir "$work/bindings/kotlin-testing"

# Both jars in one reactor (the testing artifact compiles against the main one without either
# being installed into the Maven cache). Tests are the suites' business (uniffi/run-tests.sh).
echo "-- mvn package (entra-invite, entra-invite-testing)"
mkdir -p "$work/reactor"
rel() { realpath --relative-to="$work/reactor" "$1"; }
cat >"$work/reactor/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.entrainvite</groupId>
  <artifactId>entra-invite-dist</artifactId>
  <version>$version</version>
  <packaging>pom</packaging>
  <modules>
    <module>$(rel "$kotlin_dir")</module>
    <module>$(rel "$kotlin_dir/testing")</module>
  </modules>
</project>
EOF
mvn_args=(-B -ntp -Dmaven.repo.local="$m2" -Dkotlin.compiler.execution.strategy=in-process)
nice mvn "${mvn_args[@]}" -q -f "$work/reactor/pom.xml" package -Dmaven.test.skip=true \
  -Dentra.bindings.dir="$work/bindings/kotlin" \
  -Dentra.testing.bindings.dir="$work/bindings/kotlin-testing" \
  -Dentra.native.dir="$work/native/entra-invite" \
  -Dentra.testing.native.dir="$work/native/entra-invite-testing" \
  -Dentra.build.dir="$work/build/entra-invite" \
  -Dentra.testing.build.dir="$work/build/entra-invite-testing"

# The published POMs: coordinates, description, licence and the runtime dependencies only (the
# projects' own POMs carry the build's paths and the test dependencies).
publish_pom() { # artifact description dependencies-xml
  cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.entrainvite</groupId>
  <artifactId>$1</artifactId>
  <version>$version</version>
  <packaging>jar</packaging>
  <name>$1</name>
  <description>$2</description>
  <licenses>
    <license><name>MIT</name><url>https://opensource.org/licenses/MIT</url></license>
  </licenses>
  <dependencies>
$3
  </dependencies>
</project>
EOF
}
dep() { # group artifact version
  printf '    <dependency>\n      <groupId>%s</groupId>\n      <artifactId>%s</artifactId>\n      <version>%s</version>\n    </dependency>\n' "$1" "$2" "$3"
}
publish_pom entra-invite \
  "Microsoft Entra B2B guest invitations through Microsoft Graph (Rust core via uniffi; native libraries for Linux x86-64 and aarch64 inside)" \
  "$(dep org.jetbrains.kotlin kotlin-stdlib "$kotlin_version")
$(dep org.jetbrains.kotlinx kotlinx-coroutines-core-jvm "$coroutines_version")
$(dep net.java.dev.jna jna "$jna_version")" >"$work/entra-invite.pom"
publish_pom entra-invite-testing \
  "Test support for entra-invite: an in-process Microsoft Graph emulator and its control API (for tests only)" \
  "$(dep com.entrainvite entra-invite "$version")" >"$work/entra-invite-testing.pom"

for artifact in entra-invite entra-invite-testing; do
  jar="$work/build/$artifact/$artifact-$version.jar"
  echo "-- mvn deploy:deploy-file $artifact-$version.jar -> ${repo#"$ROOT"/}"
  (cd "$work" && nice mvn "${mvn_args[@]}" -q deploy:deploy-file -Dfile="$jar" -DpomFile="$work/$artifact.pom" \
    -DrepositoryId=entra-invite-dist -Durl="file://$repo")
done

echo "-- jars"
for artifact in entra-invite entra-invite-testing; do
  jar="$repo/com/entrainvite/$artifact/$version/$artifact-$version.jar"
  printf '%s: %s bytes\n' "${jar#"$ROOT"/}" "$(stat -c %s "$jar")"
  unzip -l "$jar" | grep -E 'linux-(x86-64|aarch64)/' || true
done
