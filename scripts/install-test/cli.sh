#!/usr/bin/env bash
# The CLI as a user installs it: check the archive against SHA256SUMS, unpack it, and walk
# through invite, lookup, status, bulk against its own emulator. No toolchain on PATH.
set -euo pipefail
work="$INSTALL_TEST_WORK/cli"
mkdir -p "$work"
cd "$DIST_DIR/cli"
arch="$(uname -m)"
archive="$(ls entra-invite-*-"$arch"-unknown-linux-musl.tar.gz)"
grep " $archive\$" SHA256SUMS | sha256sum -c -
tar -xzf "$archive" -C "$work"
exe="$work/${archive%.tar.gz}/entra-invite"
printf 'archive: %s KiB, executable: %s KiB\n' $(( $(wc -c < "$archive") / 1024 )) $(( $(wc -c < "$exe") / 1024 ))
if readelf -l "$exe" | grep -q INTERP; then echo "not a static executable" >&2; exit 1; fi
"$exe" --version

cd "$work"
"$exe" emulator --listen 127.0.0.1:0 > emulator.out 2>/dev/null &
emu=$!
trap 'kill $emu 2>/dev/null || true' EXIT
for _ in {1..50}; do grep -q '^listening on ' emulator.out 2>/dev/null && break; sleep 0.1; done
export ENTRA_INVITE_GRAPH_URL="$(sed -n 's/^listening on //p' emulator.out)"
export AZURE_TENANT_ID=contoso.onmicrosoft.com
# The emulator's default app, as `entra-invite emulator --help` lists it.
defaults="$("$exe" emulator --help)"
export AZURE_CLIENT_ID="$(printf '%s\n' "$defaults" | awk '$1 == "client" && $2 == "id" {print $3}')"
export AZURE_CLIENT_SECRET="$(printf '%s\n' "$defaults" | awk '$1 == "client" && $2 == "secret" {print $3}')"
[ -n "$AZURE_CLIENT_ID" ] && [ -n "$AZURE_CLIENT_SECRET" ] || { echo "no default app in 'emulator --help'" >&2; exit 1; }
"$exe" invite taylor@fabrikam.com --redirect https://myapps.microsoft.com/ --name "Taylor Kim"
"$exe" --json lookup taylor@fabrikam.com | grep -q '"exists": true'
"$exe" status taylor@fabrikam.com | grep -q PendingAcceptance
printf 'invitedUserEmailAddress,inviteRedirectUrl,sendInvitationMessage\nann@fabrikam.com,https://myapps.microsoft.com/,false\nbad@@fabrikam.com,https://myapps.microsoft.com/,false\n' > partners.csv
set +e
"$exe" bulk partners.csv --results results.csv --quiet
code=$?
set -e
[ "$code" = 2 ] || { echo "bulk with an invalid row exited $code, not 2" >&2; exit 1; }
grep -q '^2,ann@fabrikam.com,invited,' results.csv
"$exe" --json demo > demo.json
python3 -c 'import json; d=json.load(open("demo.json")); assert len(d["steps"]) >= 8'
echo "cli: ok"
