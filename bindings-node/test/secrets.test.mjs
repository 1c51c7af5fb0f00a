// Secrets never show: the client secret, the certificate's password, the federated token and access
// tokens stay out of util.inspect / JSON.stringify / String of a client, out of every part of an
// error, and out of the process's output (Node has no log hook: the core logs nothing here).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import util from 'node:util'
import { AuthError, Client, EntraInviteError, ServiceError } from 'entra-invite'
import certs from './certs.cjs'
import { Emulator } from 'entra-invite/testing'

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const REDIRECT = 'https://myapps.microsoft.com/'
const CLIENT_ID = '0a0a0a0a-5ec2-4e75-9a11-5ec2e75ec2e7'
const SECRET = 'cs~Zq81-DISTINCTIVE-client-secret-7f3e'
const WRONG_SECRET = 'cs~Wr0ng-DISTINCTIVE-wrong-secret-19ab'
const STATIC_TOKEN = 'at~Xy77-DISTINCTIVE-static-access-token'
const { hasOpenssl, opensslCertificate } = certs
const PFX_PASSWORD = 'pw~Kq93-DISTINCTIVE-pfx-password'
const WRONG_PFX_PASSWORD = 'pw~Bad4-DISTINCTIVE-wrong-password'
const FEDERATED_GARBAGE = 'fed~Jw55-DISTINCTIVE-federated-assertion'

let emu
let dir
before(async () => {
  emu = await Emulator.start()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ei-node-secrets-'))
  await emu.control('POST', 'apps', { clientId: CLIENT_ID, clientSecret: SECRET, roles: ['User.Invite.All', 'User.Read.All', 'User.ReadWrite.All'] })
})
after(async () => {
  await emu.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

function assertAbsent(text, ...secrets) {
  for (const s of secrets) assert.ok(!text.includes(s), `a secret (${s.slice(0, 6)}...) leaked into: ${text}`)
}

/** Every readable form of a value. */
function forms(v) {
  return [
    util.inspect(v, { showHidden: true, depth: Infinity, getters: true }),
    util.format('%s %o %O %j', v, v, v, v),
    JSON.stringify(v) ?? '',
    String(v),
  ].join('\n')
}

/** Every readable part of an error: message, stack, inspect, JSON, each own property, causes. */
function everythingIn(e) {
  const parts = [forms(e), e.message, e.stack]
  for (const k of Reflect.ownKeys(e)) parts.push(`${String(k)}=${util.inspect(e[k])}`)
  if (e.cause) parts.push(everythingIn(e.cause))
  return parts.join('\n')
}

/** A token endpoint in front of the emulator's that keeps every access token it hands out. */
async function tokenTap() {
  const tokens = []
  const server = http.createServer(async (req, res) => {
    const chunks = []
    for await (const c of req) chunks.push(c)
    const r = await fetch(emu.url + req.url, { method: 'POST', body: Buffer.concat(chunks), headers: { 'content-type': req.headers['content-type'] } })
    const body = await r.text()
    try {
      const t = JSON.parse(body).access_token
      if (t) tokens.push(t)
    } catch {}
    res.writeHead(r.status, { 'content-type': 'application/json' })
    res.end(body)
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${server.address().port}`, tokens, close: () => new Promise((r) => server.close(r)) }
}

test('util.inspect, JSON.stringify and String of a client show no credential', async () => {
  const { token: jwt } = await emu.control('POST', 'federated-token', { subject: 'system:serviceaccount:ns:app' })
  const federated = path.join(dir, 'federated-token')
  fs.writeFileSync(federated, jwt)
  const cases = [
    [{ clientId: CLIENT_ID, clientSecret: SECRET }, [SECRET]],
    [{ token: STATIC_TOKEN }, [STATIC_TOKEN]],
    [{ clientId: CLIENT_ID, federatedTokenFile: federated }, [jwt]],
    [{ tokenProvider: async () => STATIC_TOKEN }, [STATIC_TOKEN]],
  ]
  if (hasOpenssl()) {
    const { keyPem, both, pfx } = opensslCertificate(dir, PFX_PASSWORD)
    const keyLines = keyPem.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----'))
    cases.push([{ clientId: CLIENT_ID, certificatePath: both }, keyLines])
    cases.push([{ clientId: CLIENT_ID, certificatePath: pfx, certificatePassword: PFX_PASSWORD }, [PFX_PASSWORD]])
    // A wrong password is refused when the client is built; the error names neither password.
    const e = (() => {
      try {
        emu.client({ clientId: CLIENT_ID, certificatePath: pfx, certificatePassword: WRONG_PFX_PASSWORD })
      } catch (x) {
        return x
      }
    })()
    assert.ok(e instanceof EntraInviteError, String(e))
    assertAbsent(everythingIn(e), WRONG_PFX_PASSWORD, PFX_PASSWORD)
  }
  for (const [options, secrets] of cases) {
    const c = new Client({ tenant: emu.tenant, graphUrl: emu.url, ...options })
    assertAbsent(forms(c) + `${c}` + Object.keys(c).join(), ...secrets)
    assertAbsent(forms(emu.client(options)), ...secrets)
  }
})

test('the error for a wrong secret shows no secret (message, stack, inspect, JSON, properties)', async () => {
  const c = new Client({ tenant: emu.tenant, clientId: CLIENT_ID, clientSecret: WRONG_SECRET, graphUrl: emu.url, maxRetries: 0 })
  const e = await c.invite({ invitedUserEmailAddress: 'nobody@fabrikam.com', inviteRedirectUrl: REDIRECT }).then(() => null, (x) => x)
  assert.ok(e instanceof AuthError, String(e))
  assert.equal(e.code, 'invalid_client')
  assertAbsent(everythingIn(e), WRONG_SECRET, SECRET)
  const e2 = await c.guests().toArray().then(() => null, (x) => x)
  assert.ok(e2 instanceof AuthError, String(e2))
  assertAbsent(everythingIn(e2), WRONG_SECRET, SECRET)
})

test('errors for a rejected federated assertion or access token do not show it', async () => {
  const f = path.join(dir, 'garbage-token')
  fs.writeFileSync(f, FEDERATED_GARBAGE)
  const fed = await emu.client({ clientId: CLIENT_ID, federatedTokenFile: f, maxRetries: 0 }).lookup('a@fabrikam.com').then(() => null, (x) => x)
  assert.ok(fed instanceof AuthError, String(fed))
  assertAbsent(everythingIn(fed), FEDERATED_GARBAGE)
  for (const options of [{ token: STATIC_TOKEN }, { tokenProvider: () => STATIC_TOKEN }]) {
    const e = await new Client({ graphUrl: emu.url, maxRetries: 0, ...options }).lookup('a@fabrikam.com').then(() => null, (x) => x)
    assert.ok(e instanceof EntraInviteError, String(e))
    assertAbsent(everythingIn(e), STATIC_TOKEN)
  }
})

test('errors after a token was issued show neither the secret nor the access token', async () => {
  const tap = await tokenTap()
  try {
    const c = new Client({ tenant: emu.tenant, clientId: CLIENT_ID, clientSecret: SECRET, graphUrl: emu.url, authorityUrl: tap.url, maxRetries: 0 })
    assert.equal((await c.lookup('a@fabrikam.com')).exists, false)
    assert.equal(tap.tokens.length, 1)
    const errors = []
    errors.push(await c.status('0b6d4c1e-1d1e-4a4b-9c9c-000000000000').then(() => null, (x) => x))
    errors.push(await c.invite({ invitedUserEmailAddress: 'newhire@contoso.com', inviteRedirectUrl: REDIRECT }).then(() => null, (x) => x))
    await emu.setFaults({ scripted: [{ method: 'POST', pathContains: '/invitations', status: 500 }] })
    errors.push(await c.invite({ invitedUserEmailAddress: 'maybe@fabrikam.com', inviteRedirectUrl: REDIRECT }).then(() => null, (x) => x))
    await emu.setFaults({})
    assert.ok(errors[2] instanceof ServiceError && errors[2].maybeApplied === true, String(errors[2]))
    for (const e of errors) {
      assert.ok(e instanceof EntraInviteError, String(e))
      assertAbsent(everythingIn(e), SECRET, ...tap.tokens)
    }
    assertAbsent(forms(c), SECRET, ...tap.tokens)
  } finally {
    await tap.close()
  }
})

test('nothing the process writes shows the secret or a Bearer value (RUST_LOG=trace, retries, ambiguous invitation)', () => {
  // Node has no log hook for the core's events; whatever could reach stdout/stderr is checked.
  const script = `
    const { Client } = require('entra-invite')
    const { Emulator } = require('entra-invite/testing')
    ;(async () => {
      const emu = await Emulator.start()
      await emu.control('POST', 'apps', { clientId: ${JSON.stringify(CLIENT_ID)}, clientSecret: ${JSON.stringify(SECRET)}, roles: ['User.Invite.All', 'User.Read.All'] })
      const c = new Client({ tenant: emu.tenant, clientId: ${JSON.stringify(CLIENT_ID)}, clientSecret: ${JSON.stringify(SECRET)}, graphUrl: emu.url })
      await emu.setFaults({ scripted: [{ method: 'GET', pathContains: '/users', status: 503, retryAfter: '0' },
                                      { method: 'POST', pathContains: '/invitations', drop: true, actFirst: true }] })
      await c.lookup('out@fabrikam.com')
      const r = await c.inviteIfAbsent({ invitedUserEmailAddress: 'out@fabrikam.com', inviteRedirectUrl: ${JSON.stringify(REDIRECT)} })
      await c.guests().toArray()
      await c.status('0b6d4c1e-1d1e-4a4b-9c9c-000000000000').catch((e) => console.error(e))
      await emu.stop()
      console.log('done', r.invited)
    })().catch((e) => { console.error(e); process.exit(1) })`
  const child = spawnSync(process.execPath, ['-e', script], {
    cwd: pkgDir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, RUST_LOG: 'trace', RUST_BACKTRACE: '1' },
  })
  const out = `${child.stdout}\n${child.stderr}`
  assert.equal(child.status, 0, out)
  assert.match(child.stdout, /done false/)
  assert.match(child.stderr, /NotFoundError/)
  assertAbsent(out, SECRET)
  assert.doesNotMatch(out, /Bearer (?!\*\*\*)\S/i)
})
