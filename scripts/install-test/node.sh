#!/usr/bin/env bash
# Install test of dist/node, as a user would, in fresh projects under $INSTALL_TEST_WORK (run by
# scripts/install-test.sh with no cargo, rustc or compiler on PATH):
#   1. npm install of the main tarball, this platform's package and the testing package, offline
#      (nothing comes from a registry); then the README's Node example runs against the emulator
#      of the testing package (invite, lookup, status, guests, errors);
#   2. a second project with only the main and platform packages: require('entra-invite') works,
#      the installed addon has no emulator, and entra-invite/testing says what to install.
# Prints the installed sizes.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
: "${DIST_DIR:?run through scripts/install-test.sh}" "${INSTALL_TEST_WORK:?}"
IN="$DIST_DIR/node"
version="$(node -p "require('$ROOT/bindings-node/package.json').version")"
platform="$(node -p 'process.platform + "-" + process.arch + (process.platform === "linux" ? (process.report.getReport().header.glibcVersionRuntime ? "-gnu" : "-musl") : "")')"
main="$IN/entra-invite-$version.tgz"
plat="$IN/entra-invite-$platform-$version.tgz"
testing="$IN/entra-invite-testing-$version.tgz"
for f in "$main" "$plat" "$testing"; do
  [ -f "$f" ] || { echo "install-test/node: missing $f (run scripts/dist.sh --host --only node)" >&2; exit 1; }
done
# npm's cache lives in the test folder: nothing is taken from an earlier run or from the network.
export npm_config_cache="$INSTALL_TEST_WORK/npm-cache" npm_config_update_notifier=false
npm_install() { npm install --offline --no-audit --no-fund --loglevel=error "$@"; }

# Apparent size in KiB of the given folders (du is not on this PATH).
size_kib() {
  node -e '
    const fs = require("node:fs"), path = require("node:path")
    const walk = (p) => { const s = fs.lstatSync(p); return s.isDirectory() ? fs.readdirSync(p).reduce((n, f) => n + walk(path.join(p, f)), 0) : s.size }
    let total = 0
    for (const d of process.argv.slice(1)) { const n = walk(d); total += n; console.log(`   ${String(Math.round(n / 1024)).padStart(8)} KiB  ${path.relative(process.cwd(), d)}`) }
    console.log(`   ${String(Math.round(total / 1024)).padStart(8)} KiB  total (${(total / 1048576).toFixed(2)} MiB)`)
  ' "$@"
}

echo "-- project 1: entra-invite + entra-invite-$platform + entra-invite-testing"
p1="$INSTALL_TEST_WORK/node-app"
mkdir -p "$p1" && cd "$p1"
npm init -y >/dev/null
npm_install "$main" "$plat"
npm_install --save-dev "$testing"
node -p 'const p = require("./package.json"); JSON.stringify({ dependencies: p.dependencies, devDependencies: p.devDependencies })'

# The README's Node example, as written (ESM, top-level await).
node -e '
  const readme = require("fs").readFileSync(process.argv[1], "utf8")
  const section = readme.split(/^## Node$/m)[1].split(/^## /m)[0]
  process.stdout.write(section.match(/```js\n([\s\S]*?)```/)[1])
' "$ROOT/README.md" > readme-example.mjs
echo "-- node readme-example.mjs"
out="$(node readme-example.mjs)"
echo "$out" | sed 's/^/   /'
grep -q 'https://login.microsoftonline.com/redeem' <<<"$out"
grep -q 'true false Accepted' <<<"$out"

# The testing package by its own name, from CommonJS: invite, lookup, status, guests.
cat > smoke.cjs <<'JS'
const assert = require('node:assert/strict')
const { Client, NotFoundError } = require('entra-invite')
const { Emulator } = require('entra-invite-testing')
;(async () => {
  const emu = await Emulator.start()
  try {
    const client = new Client({ tenant: emu.tenant, clientId: emu.clientId, clientSecret: emu.clientSecret, graphUrl: emu.url })
    const inv = await client.invite({ invitedUserEmailAddress: 'kim@fabrikam.com', inviteRedirectUrl: 'https://myapps.microsoft.com/' })
    assert.equal((await client.lookup('kim@fabrikam.com')).exists, true)
    assert.equal((await client.status(inv.invitedUser.id)).state, 'PendingAcceptance')
    await emu.redeem('kim@fabrikam.com')
    const guests = await client.guests({ state: 'Accepted' }).toArray()
    assert.deepEqual(guests.map((g) => g.email), ['kim@fabrikam.com'])
    await assert.rejects(client.status('nobody@fabrikam.com'), NotFoundError)
    assert.equal(require('entra-invite/testing').Emulator, Emulator)
    console.log('   smoke.cjs: invite, lookup, status, redeem, guests, NotFoundError: ok')
  } finally {
    await emu.stop()
  }
})().catch((e) => { console.error(e); process.exitCode = 1 })
JS
node smoke.cjs

echo "-- project 2: entra-invite + entra-invite-$platform only"
p2="$INSTALL_TEST_WORK/node-prod"
mkdir -p "$p2" && cd "$p2"
npm init -y >/dev/null
npm_install "$main" "$plat"
node -e '
  const assert = require("node:assert/strict")
  const { Client, EntraInviteError } = require("entra-invite")
  assert.equal(typeof Client, "function")
  assert.equal(typeof EntraInviteError, "function")
  assert.throws(() => require("entra-invite/testing"), /npm install --save-dev entra-invite-testing/)
  const addon = require.resolve(process.argv[1])
  assert.equal(require("node:fs").readFileSync(addon).indexOf("/_emulator/"), -1, "the production addon contains the emulator")
  console.log("   require(\"entra-invite\"): ok; no emulator in", require("node:path").basename(addon), "; entra-invite/testing explains what to install")
' "entra-invite-$platform"
[ ! -e node_modules/entra-invite-testing ]

echo "-- installed sizes"
cd "$p2" && size_kib node_modules/entra-invite "node_modules/entra-invite-$platform"
cd "$p1" && echo "   with the testing package:" && size_kib node_modules/entra-invite-testing
