'use strict'
// The API suite, run twice: through require() (api.test.cjs) and through import (api.test.mjs).
// Every Client method, every client option and every error class, against the emulator.

const { describe, test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const http = require('node:http')
const os = require('node:os')
const path = require('node:path')
const { hasOpenssl, opensslCertificate } = require('./certs.cjs')

const REDIRECT = 'https://myapps.microsoft.com/'
let seq = 0
const unique = (name) => `${name}.${process.pid}.${++seq}@fabrikam.com`

function tmpdir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'entra-invite-node-'))
}

/** A throwaway HTTP server answering every request with `answer(req)` = [status, body]. */
async function fakeGraph(answer) {
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const [status, body] = answer(req)
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'fake-request-id' })
      res.end(body)
    })
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) }
}

module.exports = function suite(label, pkg, testing) {
  const {
    Client, EntraInviteError, InvalidInputError, AuthError, PermissionDeniedError, NotFoundError,
    AlreadyExistsError, VerifiedDomainError, BlockedByPolicyError, ThrottledError, ServiceError,
    NetworkError, TimeoutError, ProtocolError, InternalError,
  } = pkg
  const { Emulator } = testing

  describe(`${label}: the API against the emulator`, () => {
    let emu
    let client
    before(async () => {
      emu = await Emulator.start()
      client = emu.client()
    })
    after(() => emu.stop())

    test('invite sends every field and resolves to Graph\'s invitation JSON', async () => {
      const email = unique('taylor')
      const sponsor = await emu.addUser({ displayName: 'Sponsor', mail: 'sponsor@contoso.com', userPrincipalName: 'sponsor@contoso.onmicrosoft.com' })
      const inv = await client.invite({
        invitedUserEmailAddress: email,
        inviteRedirectUrl: REDIRECT,
        invitedUserDisplayName: 'Taylor',
        sendInvitationMessage: true,
        invitedUserType: 'Member',
        customizedMessageBody: 'Hello Sam',
        messageLanguage: 'en-US',
        ccRecipients: [{ address: 'lead@contoso.com', name: 'Lead' }],
        invitedUserSponsors: [sponsor.id],
      })
      assert.match(inv.id, /^[0-9a-f-]{36}$/)
      assert.match(inv.inviteRedeemUrl, /^https:\/\/login\.microsoftonline\.com\/redeem\?rd=/)
      assert.match(inv.invitedUser.id, /^[0-9a-f-]{36}$/)
      assert.equal(inv.status, 'PendingAcceptance')
      assert.equal(inv.invitedUserEmailAddress, email)
      assert.equal(inv.invitedUserDisplayName, 'Taylor')
      assert.equal(inv.invitedUserType, 'Member')
      assert.equal(inv.sendInvitationMessage, true)
      assert.equal(inv.inviteRedirectUrl, REDIRECT)
      assert.equal(inv.invitedUserMessageInfo.customizedMessageBody, 'Hello Sam')
      assert.equal(inv.invitedUserMessageInfo.ccRecipients[0].emailAddress.address, 'lead@contoso.com')
      // The CC's name reaches Graph too (Graph echoes what it was sent).
      assert.equal(inv.invitedUserMessageInfo.ccRecipients[0].emailAddress.name, 'Lead')
      assert.ok('@odata.context' in inv.extra, 'unknown Graph fields are kept')
      const mail = (await emu.outbox()).find((m) => m.to === email)
      assert.deepEqual(mail.cc, ['lead@contoso.com'])
      assert.equal(mail.language, 'en-US')
      assert.equal(mail.customizedMessageBody, 'Hello Sam')
      assert.equal(mail.inviteRedeemUrl, inv.inviteRedeemUrl)
    })

    test('invite accepts a cc without a name; sends no email unless asked', async () => {
      const email = unique('plain')
      const inv = await client.invite({
        invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT, invitedUserDisplayName: undefined,
        ccRecipients: [{ address: 'lead@contoso.com' }],
      })
      assert.equal(inv.sendInvitationMessage, false)
      assert.equal(inv.invitedUserType, 'Guest')
      assert.equal((await emu.outbox()).some((m) => m.to === email), false)
    })

    test('lookup: existing guest, unknown address, verified domain', async () => {
      const email = unique('kim')
      const inv = await client.invite({ invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT })
      const found = await client.lookup(email)
      assert.equal(found.exists, true)
      assert.equal(found.user.id, inv.invitedUser.id)
      assert.equal(found.user.userType, 'Guest')
      assert.equal(found.user.externalUserState, 'PendingAcceptance')
      assert.equal(found.verifiedDomain, null)
      assert.deepEqual(await client.lookup(unique('nobody')), { exists: false, user: null, verifiedDomain: null })
      assert.deepEqual(await client.lookup('newhire@contoso.com'), { exists: false, user: null, verifiedDomain: 'contoso.com' })
    })

    test('inviteIfAbsent invites once, then reports the existing user', async () => {
      const req = { invitedUserEmailAddress: unique('once'), inviteRedirectUrl: REDIRECT }
      const first = await client.inviteIfAbsent(req)
      assert.equal(first.invited, true)
      assert.equal(first.user, null)
      assert.equal(first.invitation.invitedUserEmailAddress, req.invitedUserEmailAddress)
      const second = await client.inviteIfAbsent(req)
      assert.equal(second.invited, false)
      assert.equal(second.invitation, null)
      assert.equal(second.user.id, first.invitation.invitedUser.id)
    })

    test('status by email and by id; redeem makes it Accepted; changedAt is a Date', async () => {
      const email = unique('sam')
      const inv = await client.invite({ invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT })
      const byEmail = await client.status(email)
      assert.equal(byEmail.userId, inv.invitedUser.id)
      assert.equal(byEmail.state, 'PendingAcceptance')
      assert.equal(byEmail.email, email)
      assert.ok(byEmail.changedAt instanceof Date && !Number.isNaN(byEmail.changedAt.getTime()))
      assert.equal(byEmail.user.id, inv.invitedUser.id)
      await emu.redeem(email)
      const byId = await client.status(inv.invitedUser.id)
      assert.equal(byId.state, 'Accepted')
      assert.ok(byId.changedAt instanceof Date)
    })

    test('resetRedemption keeps the user id and puts the guest back to pending', async () => {
      const email = unique('alex')
      const inv = await client.invite({ invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT })
      await emu.redeem(inv.invitedUser.id)
      const reset = await client.resetRedemption(inv.invitedUser.id, { invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT })
      assert.equal(reset.resetRedemption, true)
      assert.equal(reset.invitedUser.id, inv.invitedUser.id)
      assert.equal((await client.status(inv.invitedUser.id)).state, 'PendingAcceptance')
    })

    test('guests: for await, pages, pageSize, total, state filter, toArray', async () => {
      await emu.reset()
      const emails = [unique('g1'), unique('g2'), unique('g3')]
      for (const e of emails) await client.invite({ invitedUserEmailAddress: e, inviteRedirectUrl: REDIRECT })
      await emu.redeem(emails[0])
      const seen = []
      for await (const g of client.guests()) seen.push(g.email)
      assert.deepEqual(seen.sort(), [...emails].sort())
      const list = client.guests({ state: 'PendingAcceptance', pageSize: 1 })
      const pages = []
      for await (const page of list.pages()) pages.push(page)
      assert.equal(pages.length, 2)
      assert.equal(list.total, 2)
      assert.ok(pages.flat().every((g) => g.state === 'PendingAcceptance' && g.changedAt instanceof Date))
      const accepted = await client.guests({ state: 'Accepted' }).toArray()
      assert.deepEqual(accepted.map((g) => g.email), [emails[0]])
      await assert.rejects(client.guests({ state: 'Gone' }).toArray(), (e) => e instanceof InvalidInputError && e.field === 'externalUserState')
      await assert.rejects(client.guests({ pageSize: 0 }).toArray(), (e) => e instanceof InvalidInputError && e.field === 'page_size')
    })

    describe('client options', () => {
      test('tenant, clientId, clientSecret, graphUrl, authorityUrl, cloud', async () => {
        const c = new Client({
          tenant: emu.tenant, clientId: emu.clientId, clientSecret: emu.clientSecret,
          graphUrl: emu.url, authorityUrl: emu.url, cloud: 'global',
        })
        assert.equal(c.tenant, emu.tenant)
        assert.ok(c.graphUrl.startsWith(emu.url))
        assert.equal((await c.lookup(unique('opt'))).exists, false)
        assert.throws(() => new Client({ ...emu.clientOptions(), cloud: 'mars' }), (e) => e instanceof InvalidInputError && e.field === 'cloud')
        assert.throws(() => new Client({ ...emu.clientOptions(), tenant: 5 }), (e) => e instanceof InvalidInputError && e.field === 'tenant')
        assert.throws(() => new Client({ ...emu.clientOptions(), bogus: true }), (e) => e instanceof InvalidInputError && e.field === 'bogus')
        assert.throws(() => new Client({ tenant: emu.tenant }), (e) => e instanceof InvalidInputError && e.field === 'credential')
        assert.throws(() => new Client({ ...emu.clientOptions(), token: 'x' }), (e) => e instanceof InvalidInputError && e.field === 'credential')
        assert.throws(() => new Client('nope'), (e) => e instanceof InvalidInputError && e.field === 'options')
      })

      test('token: a fixed access token', async () => {
        const token = await emu.issueToken()
        const c = new Client({ tenant: emu.tenant, token, graphUrl: emu.url })
        assert.equal((await c.lookup(unique('tok'))).exists, false)
      })

      test('tokenProvider: an async function (string or { token, expiresOnTimestamp }); its failure names it', async () => {
        const token = await emu.issueToken()
        let calls = 0
        const c = new Client({ tenant: emu.tenant, graphUrl: emu.url, tokenProvider: async () => { calls++; return token } })
        await Promise.all([c.lookup(unique('p')), c.lookup(unique('p')), c.lookup(unique('p'))])
        assert.equal(calls, 1, 'one token for concurrent callers, then cached')
        const c2 = emu.client({ tokenProvider: () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) })
        assert.equal((await c2.lookup(unique('p'))).exists, false)
        const failing = emu.client({ tokenProvider: async () => { throw new Error('no token today') } })
        await assert.rejects(failing.lookup(unique('p')), (e) => e instanceof AuthError && /tokenProvider/.test(e.message) && /no token today/.test(e.message))
        const wrong = emu.client({ tokenProvider: async () => 42 })
        await assert.rejects(wrong.lookup(unique('p')), (e) => e instanceof AuthError && /must return a string/.test(e.message))
        assert.throws(() => emu.client({ tokenProvider: 'not a function' }), (e) => e instanceof InvalidInputError && e.field === 'tokenProvider')
      })

      test('certificatePath (PEM) and certificatePath + certificatePassword (PFX)', { skip: !hasOpenssl() && 'openssl not installed' }, async () => {
        const dir = tmpdir()
        const { certPem, both, pfx } = opensslCertificate(dir, 'pfx-pass')
        const clientId = '0a1b2c3d-0000-4000-8000-00000000cafe'
        await emu.control('POST', 'apps', { clientId, certificatePem: certPem, roles: ['User.Invite.All', 'User.Read.All'] })
        const pemClient = emu.client({ clientId, certificatePath: both })
        assert.equal((await pemClient.lookup(unique('cert'))).exists, false)
        const pfxClient = emu.client({ clientId, certificatePath: pfx, certificatePassword: 'pfx-pass' })
        assert.equal((await pfxClient.invite({ invitedUserEmailAddress: unique('cert'), inviteRedirectUrl: REDIRECT })).status, 'PendingAcceptance')
        assert.throws(() => emu.client({ clientId, certificatePath: pfx, certificatePassword: 'wrong' }), (e) => e instanceof EntraInviteError)
        fs.rmSync(dir, { recursive: true, force: true })
      })

      test('federatedTokenFile (workload identity)', async () => {
        const clientId = '0a1b2c3d-0000-4000-8000-0000000f3d00'
        await emu.control('POST', 'apps', { clientId, federated: { subject: 'system:serviceaccount:default:app' }, roles: ['User.Read.All'] })
        const { token } = await emu.control('POST', 'federated-token', { subject: 'system:serviceaccount:default:app' })
        const dir = tmpdir()
        const file = path.join(dir, 'token')
        fs.writeFileSync(file, token)
        const c = emu.client({ clientId, federatedTokenFile: file })
        assert.equal((await c.lookup(unique('fed'))).exists, false)
        fs.rmSync(dir, { recursive: true, force: true })
      })

      test('caCert (a PEM file) and caCertPem against the emulator over https', async () => {
        const secure = await Emulator.start({ https: true })
        try {
          assert.ok(secure.url.startsWith('https://'))
          assert.match(secure.caCertPem, /BEGIN CERTIFICATE/)
          const dir = tmpdir()
          const file = path.join(dir, 'ca.pem')
          fs.writeFileSync(file, secure.caCertPem)
          const { caCertPem, ...rest } = secure.clientOptions()
          assert.ok(caCertPem)
          assert.equal((await new Client({ ...rest, caCert: file }).lookup(unique('tls'))).exists, false)
          assert.equal((await new Client({ ...rest, caCertPem }).lookup(unique('tls'))).exists, false)
          await assert.rejects(new Client({ ...rest, maxRetries: 0 }).lookup(unique('tls')), (e) => e instanceof NetworkError)
          assert.throws(() => new Client({ ...rest, caCert: path.join(dir, 'missing.pem') }), (e) => e instanceof InvalidInputError && e.field === 'ca_cert')
          fs.rmSync(dir, { recursive: true, force: true })
        } finally {
          await secure.stop()
        }
      })

      test('timeout (ms) turns a slow answer into TimeoutError', async () => {
        await emu.setFaults({ latencyMs: { min: 2000, max: 2000 } })
        try {
          const started = Date.now()
          await assert.rejects(emu.client({ timeout: 200, maxRetries: 0 }).lookup(unique('slow')), (e) => e instanceof TimeoutError && e.kind === 'Timeout')
          assert.ok(Date.now() - started < 1900, 'gave up before the answer came')
        } finally {
          await emu.setFaults({})
        }
      })

      test('maxRetries: 0 surfaces the first 503, 2 rides over two of them', async () => {
        await emu.setFaults({ scripted: [{ method: 'GET', pathContains: '/users', status: 503, times: 1, retryAfter: '0' }] })
        await assert.rejects(emu.client({ maxRetries: 0 }).status(unique('r')), (e) => e instanceof ServiceError && e.status === 503)
        await emu.setFaults({ scripted: [{ method: 'GET', pathContains: '/users', status: 503, times: 2, retryAfter: '0' }] })
        await assert.rejects(emu.client({ maxRetries: 2 }).status(unique('r')), (e) => e instanceof NotFoundError)
        await emu.setFaults({})
      })

      test('Client.fromEnv reads the azure-identity variables', async () => {
        const saved = { ...process.env }
        Object.assign(process.env, {
          AZURE_TENANT_ID: emu.tenant, AZURE_CLIENT_ID: emu.clientId, AZURE_CLIENT_SECRET: emu.clientSecret,
          ENTRA_INVITE_GRAPH_URL: emu.url,
        })
        try {
          const c = Client.fromEnv()
          assert.equal(c.tenant, emu.tenant)
          assert.equal((await c.lookup(unique('env'))).exists, false)
          delete process.env.AZURE_CLIENT_SECRET
          assert.throws(() => Client.fromEnv(), (e) => e instanceof InvalidInputError && e.field === 'credential')
        } finally {
          for (const k of ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'ENTRA_INVITE_GRAPH_URL']) {
            if (saved[k] === undefined) delete process.env[k]
            else process.env[k] = saved[k]
          }
        }
      })
    })

    describe('errors', () => {
      test('every class is an EntraInviteError and an Error, named after its kind', () => {
        const classes = {
          InvalidInput: InvalidInputError, Auth: AuthError, PermissionDenied: PermissionDeniedError,
          NotFound: NotFoundError, AlreadyExists: AlreadyExistsError, VerifiedDomain: VerifiedDomainError,
          BlockedByPolicy: BlockedByPolicyError, Throttled: ThrottledError, Service: ServiceError,
          Network: NetworkError, Timeout: TimeoutError, Protocol: ProtocolError, Internal: InternalError,
        }
        for (const [kind, Cls] of Object.entries(classes)) {
          const e = new Cls('m', { code: 'C', status: 400, requestId: 'r', clientRequestId: 'c' })
          assert.ok(e instanceof EntraInviteError && e instanceof Error, kind)
          assert.equal(e.name, `${kind}Error`)
          assert.equal(e.kind, kind)
          assert.deepEqual([e.message, e.code, e.status, e.requestId, e.clientRequestId], ['m', 'C', 400, 'r', 'c'])
        }
      })

      test('InvalidInputError names the field and nothing is sent', async () => {
        const before = (await emu.stats()).totalRequests
        const cases = [
          [{ invitedUserEmailAddress: 'not-an-address', inviteRedirectUrl: REDIRECT }, 'invitedUserEmailAddress'],
          [{ invitedUserEmailAddress: unique('x'), inviteRedirectUrl: 'http://insecure/' }, 'inviteRedirectUrl'],
          [{ invitedUserEmailAddress: unique('x'), inviteRedirectUrl: REDIRECT, invitedUserType: 'Owner' }, 'invitedUserType'],
          [{ invitedUserEmailAddress: unique('x'), inviteRedirectUrl: REDIRECT, ccRecipients: [{ address: 'a@b.com' }, { address: 'c@d.com' }] }, 'ccRecipients'],
          [{ invitedUserEmailAddress: 42, inviteRedirectUrl: REDIRECT }, 'invitedUserEmailAddress'],
          [{ invitedUserEmailAddress: unique('x'), inviteRedirectUrl: REDIRECT, sendInvitationMessage: 'yes' }, 'sendInvitationMessage'],
          [{ invitedUserEmailAddress: unique('x'), inviteRedirectUrl: REDIRECT, surprise: 1 }, 'surprise'],
        ]
        for (const [req, field] of cases) {
          await assert.rejects(client.invite(req), (e) => e instanceof InvalidInputError && e.kind === 'InvalidInput' && e.field === field, field)
        }
        await assert.rejects(client.invite(null), (e) => e instanceof InvalidInputError && e.field === 'invitation')
        await assert.rejects(client.lookup(7), (e) => e instanceof InvalidInputError && e.field === 'email')
        await assert.rejects(client.lookup("x' or '1' eq '1"), (e) => e instanceof InvalidInputError && e.field === 'email')
        await assert.rejects(client.status(null), (e) => e instanceof InvalidInputError && e.field === 'user')
        await assert.rejects(client.resetRedemption('not-an-id', null), (e) => e instanceof InvalidInputError)
        assert.equal((await emu.stats()).totalRequests, before)
      })

      test('AuthError carries the token endpoint\'s code and AADSTS number', async () => {
        const e = await emu.client({ clientSecret: 'wrong' }).lookup('a@fabrikam.com').catch((x) => x)
        assert.ok(e instanceof AuthError)
        assert.equal(e.code, 'invalid_client')
        assert.equal(e.aadsts, 7000215)
        assert.equal(e.status, 401)
      })

      test('PermissionDeniedError, NotFoundError, AlreadyExistsError, VerifiedDomainError from Graph', async () => {
        const readonly = emu.client({ clientId: emu.readonlyClientId, clientSecret: emu.readonlyClientSecret })
        const denied = await readonly.invite({ invitedUserEmailAddress: unique('ro'), inviteRedirectUrl: REDIRECT }).catch((x) => x)
        assert.ok(denied instanceof PermissionDeniedError)
        assert.equal(denied.code, 'Unauthorized')
        assert.ok(denied.requestId && denied.clientRequestId && denied.status)
        const missing = await client.status('0b6d4c1e-1d1e-4a4b-9c9c-000000000000').catch((x) => x)
        assert.ok(missing instanceof NotFoundError)
        assert.equal(missing.code, 'Request_ResourceNotFound')
        assert.equal(missing.status, 404)
        await emu.addUser({ displayName: 'Morgan', mail: 'morgan@fabrikam.com', userPrincipalName: 'morgan@contoso.onmicrosoft.com', userType: 'Member' })
        await assert.rejects(client.invite({ invitedUserEmailAddress: 'morgan@fabrikam.com', inviteRedirectUrl: REDIRECT }), AlreadyExistsError)
        await assert.rejects(client.invite({ invitedUserEmailAddress: 'newhire@contoso.com', inviteRedirectUrl: REDIRECT }), VerifiedDomainError)
      })

      test('ThrottledError carries retryAfter; ServiceError the status', async () => {
        await emu.setFaults({ scripted: [{ method: 'POST', pathContains: '/invitations', status: 429, times: 3, retryAfter: '1' }] })
        const t = await emu.client({ maxRetries: 0 }).invite({ invitedUserEmailAddress: unique('busy'), inviteRedirectUrl: REDIRECT }).catch((x) => x)
        assert.ok(t instanceof ThrottledError)
        assert.equal(t.code, 'TooManyRequests')
        assert.equal(t.retryAfter, 1000)
        assert.equal(t.status, 429)
        await emu.setFaults({ scripted: [{ method: 'GET', pathContains: '/users', status: 503, times: 5, retryAfter: '0' }] })
        const s = await emu.client({ maxRetries: 1 }).status(unique('down')).catch((x) => x)
        assert.ok(s instanceof ServiceError)
        assert.equal(s.status, 503)
        await emu.setFaults({})
      })

      test('maybeApplied: true when the invitation may exist despite the error, false otherwise', async () => {
        assert.equal(new EntraInviteError('m').maybeApplied, false)
        await emu.setFaults({ scripted: [{ method: 'POST', pathContains: '/invitations', status: 500 }] })
        const e = await client.invite({ invitedUserEmailAddress: unique('maybe'), inviteRedirectUrl: REDIRECT }).catch((x) => x)
        assert.ok(e instanceof ServiceError, String(e))
        assert.equal(e.maybeApplied, true)
        await emu.setFaults({ scripted: [{ method: 'POST', pathContains: '/invitations', drop: true }] })
        const dropped = await client.invite({ invitedUserEmailAddress: unique('maybe'), inviteRedirectUrl: REDIRECT }).catch((x) => x)
        assert.ok(dropped instanceof NetworkError, String(dropped))
        assert.equal(dropped.maybeApplied, true)
        await emu.setFaults({ scripted: [{ method: 'GET', pathContains: '/users', status: 503, times: 5, retryAfter: '0' }] })
        const read = await emu.client({ maxRetries: 0 }).lookup(unique('maybe')).catch((x) => x)
        assert.ok(read instanceof ServiceError, String(read))
        assert.equal(read.maybeApplied, false)
        await emu.setFaults({})
        const bad = await client.invite({ invitedUserEmailAddress: 'not-an-address', inviteRedirectUrl: REDIRECT }).catch((x) => x)
        assert.ok(bad instanceof InvalidInputError)
        assert.equal(bad.maybeApplied, false)
      })

      test('NetworkError when nothing listens', async () => {
        const fake = await fakeGraph(() => [200, '{}'])
        await fake.close()
        await assert.rejects(new Client({ token: 't', graphUrl: fake.url, maxRetries: 0 }).lookup('a@fabrikam.com'), NetworkError)
      })

      test('BlockedByPolicyError and ProtocolError from a server that says so', async () => {
        const blocked = await fakeGraph(() => [400, JSON.stringify({ error: { code: 'BadRequest', message: 'The invitation is blocked by cross-tenant access settings.' } })])
        const e = await new Client({ token: 't', graphUrl: blocked.url }).invite({ invitedUserEmailAddress: 'a@fabrikam.com', inviteRedirectUrl: REDIRECT }).catch((x) => x)
        await blocked.close()
        assert.ok(e instanceof BlockedByPolicyError, String(e))
        assert.equal(e.requestId, 'fake-request-id')
        const garbled = await fakeGraph(() => [200, 'this is not JSON'])
        const p = await new Client({ token: 't', graphUrl: garbled.url }).status('0b6d4c1e-1d1e-4a4b-9c9c-000000000000').catch((x) => x)
        await garbled.close()
        assert.ok(p instanceof ProtocolError, String(p))
      })
    })
  })
}
