#!/usr/bin/env bash
# Kotlin: a new Maven project in $INSTALL_TEST_WORK that depends on com.entrainvite:entra-invite
# and com.entrainvite:entra-invite-testing from the file repository dist/kotlin/repo (kotlin-stdlib,
# coroutines and JNA from Maven Central, through the cached Maven repository), compiles one Kotlin
# main class and runs it with plain `java`: it starts the emulator of the testing artifact and
# does the README's Kotlin example (invite, lookup, status) against it. The native libraries come
# out of the jars (no jna.library.path). Called by scripts/install-test.sh (PATH: no compiler).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
repo="$DIST_DIR/kotlin/repo"
m2="$ENTRA_INVITE_CACHE/m2"
proj="$INSTALL_TEST_WORK/kotlin-app"

pom="$(ls "$repo"/com/entrainvite/entra-invite/*/entra-invite-*.pom 2>/dev/null | head -n1)"
[ -n "$pom" ] || { echo "install-test/kotlin: no com.entrainvite:entra-invite in $repo (run scripts/dist.sh --only kotlin)" >&2; exit 1; }
version="$(basename "$(dirname "$pom")")"
jar="$repo/com/entrainvite/entra-invite/$version/entra-invite-$version.jar"
testing_jar="$repo/com/entrainvite/entra-invite-testing/$version/entra-invite-testing-$version.jar"
for j in "$jar" "$testing_jar"; do
  printf '%s: %s bytes (%s KiB)\n' "${j#"$ROOT"/}" "$(wc -c <"$j")" "$(( ($(wc -c <"$j") + 1023) / 1024 ))"
done
# Kotlin and Maven versions as the suites use them.
prop() { sed -n "s|.*<$1>\(.*\)</$1>.*|\1|p" "$ROOT/uniffi/kotlin/pom.xml" | head -n1; }
kotlin_version="$(prop kotlin.version)"

# Our artifacts are resolved from the file repository, never from a copy the Maven cache kept
# of an earlier build (a release version is never looked up again once cached).
rm -rf "$m2/com/entrainvite"
trap 'rm -rf "$m2/com/entrainvite"' EXIT

mkdir -p "$proj/src/main/kotlin"
cat >"$proj/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>invite-guests</artifactId>
  <version>1.0</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <kotlin.version>$kotlin_version</kotlin.version>
    <kotlin.compiler.jvmTarget>17</kotlin.compiler.jvmTarget>
  </properties>
  <repositories>
    <repository>
      <id>entra-invite-dist</id>
      <url>file://$repo</url>
    </repository>
  </repositories>
  <dependencies>
    <dependency>
      <groupId>com.entrainvite</groupId>
      <artifactId>entra-invite</artifactId>
      <version>$version</version>
    </dependency>
    <!-- The emulator for tests (an app's tests would give it <scope>test</scope>). -->
    <dependency>
      <groupId>com.entrainvite</groupId>
      <artifactId>entra-invite-testing</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
  <build>
    <sourceDirectory>src/main/kotlin</sourceDirectory>
    <plugins>
      <plugin>
        <groupId>org.jetbrains.kotlin</groupId>
        <artifactId>kotlin-maven-plugin</artifactId>
        <version>\${kotlin.version}</version>
        <executions>
          <execution><id>compile</id><phase>compile</phase><goals><goal>compile</goal></goals></execution>
        </executions>
      </plugin>
    </plugins>
  </build>
</project>
EOF

# The README's Kotlin example, with the emulator's tenant and app instead of a real one.
cat >"$proj/src/main/kotlin/Main.kt" <<'EOF'
import com.entrainvite.*
import com.entrainvite.models.*                    // the records and enums
import com.entrainvite.testing.startEmulator
import kotlinx.coroutines.runBlocking
import kotlin.system.exitProcess

fun main() = runBlocking {
    check(System.getProperty("jna.library.path") == null) { "jna.library.path is set" }
    val emu = startEmulator(false)              // from com.entrainvite:entra-invite-testing
    try {
        val client = Client(ClientOptions(
            tenant = emu.tenant(),
            clientId = emu.clientId(),
            clientSecret = Secret(emu.clientSecret()),
            graphUrl = emu.url(),               // leave out to talk to graph.microsoft.com
        ))                                      // or emu.clientConfig() (entra-invite-testing)

        val invitation = client.invite(InvitationRequest(
            invitedUserEmailAddress = "taylor@fabrikam.com",
            inviteRedirectUrl = "https://myapps.microsoft.com/",
            invitedUserDisplayName = "Taylor Kim",
            sendInvitationMessage = true,
            invitedUserType = UserType.GUEST,
        ))
        println("Invited ${invitation.invitedUser?.id}: ${invitation.inviteRedeemUrl}")

        val found = client.lookup("sam@litware.com")
        when {
            found.exists -> println("already a user: ${found.user?.id}")
            found.verifiedDomain != null -> println("${found.verifiedDomain} is one of our domains")
            else -> {
                val again = client.inviteIfAbsent(
                    InvitationRequest("sam@litware.com", "https://myapps.microsoft.com/", invitedUserType = UserType.GUEST))
                println("sam@litware.com: not found; inviteIfAbsent invited=${again.invited}")
            }
        }
        check(client.lookup("taylor@fabrikam.com").exists) { "taylor is not found after the invitation" }

        val status = client.status("taylor@fabrikam.com")          // email or object id
        println("${status.email}: ${status.state} since ${status.changedAt}")
        check(status.state == ExternalUserState.PENDING_ACCEPTANCE) { "state ${status.state}" }
        val pending = client.guests(ExternalUserState.PENDING_ACCEPTANCE)
        println("pending: ${pending.map { it.email }}")
        check(pending.size == 2) { "${pending.size} pending guests" }

        try {
            client.status("nobody@fabrikam.com")
            error("no error for an unknown user")
        } catch (e: EntraInviteException) {                        // sealed: one subclass per kind
            val d = e.details()                                    // one ErrorDetails record
            println("${e.kind()} ${d.code}: ${d.message}")
        }
        client.close()
    } finally {
        emu.stop()
        emu.close()
    }
    // Where JNA found the libraries: extracted from the jars on the classpath.
    val loaded = java.io.File("/proc/self/maps").readLines()
        .map { it.substringAfter("/", "").let { p -> if (p.isEmpty()) "" else "/$p" } }
        .filter { it.contains("jna", ignoreCase = true) || it.contains("entra_invite") }
        .distinct()
    println("native libraries mapped: $loaded")
    if (loaded.any { it.contains("/target/") || it.contains("/dist/") }) {
        println("FAIL: a native library was loaded from a build directory"); exitProcess(1)
    }
    println("kotlin install test: ok")
}
EOF

cd "$proj"
# Debian's mvn script follows its own symlinks with `expr`, which the install test's PATH lacks:
# start it by its real path (found with bash alone).
mvn_bin="$(command -v mvn)"
while [ -h "$mvn_bin" ]; do
  link="$(ls -ld "$mvn_bin")"; link="${link##*-> }"
  case "$link" in /*) mvn_bin="$link" ;; *) mvn_bin="$(dirname "$mvn_bin")/$link" ;; esac
done
mvn() { "$mvn_bin" "$@"; }
mvn_args=(-B -ntp -q -Dmaven.repo.local="$m2" -Dkotlin.compiler.execution.strategy=in-process)
echo "-- mvn package (resolving com.entrainvite:* $version from ${repo#"$ROOT"/})"
mvn "${mvn_args[@]}" package dependency:build-classpath -Dmdep.outputFile="$proj/classpath.txt"
tr ':' '\n' <"$proj/classpath.txt" | grep -E 'entra-invite' | sed 's|^|   classpath: |'
# Proof the jars came from the file repository: Maven recorded where it downloaded them from.
grep -h 'entra-invite-dist' "$m2"/com/entrainvite/*/"$version"/_remote.repositories | sed 's|^|   |' || {
  echo "install-test/kotlin: com.entrainvite artifacts not resolved from the file repository" >&2; exit 1; }
echo "-- java MainKt"
java -cp "$proj/target/classes:$(cat "$proj/classpath.txt")" MainKt
