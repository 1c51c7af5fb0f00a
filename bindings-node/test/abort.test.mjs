// AbortSignal: a call given { signal } rejects with the signal's reason as soon as it aborts,
// and the Rust task is dropped (so it sends nothing more).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { getEventListeners } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { Client, InvalidInputError } from 'entra-invite'
import { Emulator } from 'entra-invite/testing'

const REDIRECT = 'https://myapps.microsoft.com/'
let emu
let client
before(async () => {
  emu = await Emulator.start()
  client = emu.client()
})
after(() => emu.stop())

const isAbort = (e) => e instanceof DOMException && e.name === 'AbortError'
const invitationPosts = (stats) =>
  Object.entries(stats.requests).filter(([k]) => k.startsWith('POST /v1.0/invitations')).reduce((n, [, v]) => n + v, 0)

test('an already aborted signal rejects at once and sends nothing', async () => {
  const before = (await emu.stats()).totalRequests
  const signal = AbortSignal.abort()
  await assert.rejects(client.invite({ invitedUserEmailAddress: 'a1@fabrikam.com', inviteRedirectUrl: REDIRECT }, { signal }), isAbort)
  await assert.rejects(client.lookup('a1@fabrikam.com', { signal }), isAbort)
  await assert.rejects(client.status('a1@fabrikam.com', { signal }), isAbort)
  await assert.rejects(client.inviteIfAbsent({ invitedUserEmailAddress: 'a1@fabrikam.com', inviteRedirectUrl: REDIRECT }, { signal }), isAbort)
  await assert.rejects(client.resetRedemption('0b6d4c1e-1d1e-4a4b-9c9c-000000000000', { invitedUserEmailAddress: 'a1@fabrikam.com', inviteRedirectUrl: REDIRECT }, { signal }), isAbort)
  await assert.rejects(client.guests({ signal }).toArray(), isAbort)
  assert.equal((await emu.stats()).totalRequests, before)
})

test('aborting mid-flight rejects with the reason without waiting for Graph', async () => {
  await emu.setFaults({ latencyMs: { min: 1500, max: 1500 } })
  try {
    const started = Date.now()
    await assert.rejects(client.lookup('slow@fabrikam.com', { signal: AbortSignal.timeout(100) }), (e) => e.name === 'TimeoutError' && e instanceof DOMException)
    const controller = new AbortController()
    const p = client.status('slow@fabrikam.com', { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('changed my mind')), 50)
    await assert.rejects(p, /changed my mind/)
    assert.ok(Date.now() - started < 1400, `took ${Date.now() - started} ms`)
  } finally {
    await emu.setFaults({})
  }
})

test('the aborted call\'s Rust task is dropped: it never sends its request', async () => {
  const token = await emu.issueToken()
  let release
  const gate = new Promise((r) => (release = r))
  let asked = 0
  // The provider holds the call before its POST; we abort while it waits, then let it go.
  const held = new Client({ tenant: emu.tenant, graphUrl: emu.url, tokenProvider: async () => { asked++; await gate; return token } })
  const controller = new AbortController()
  const p = held.invite({ invitedUserEmailAddress: 'never@fabrikam.com', inviteRedirectUrl: REDIRECT }, { signal: controller.signal })
  while (asked === 0) await sleep(5)
  const before = invitationPosts(await emu.stats())
  controller.abort()
  await assert.rejects(p, isAbort)
  release()
  await sleep(300)
  assert.equal(invitationPosts(await emu.stats()), before, 'the invitation was not sent')
  assert.equal((await emu.client().lookup('never@fabrikam.com')).exists, false)
})

test('a signal that never fires changes nothing and leaves no listener behind', async () => {
  const controller = new AbortController()
  const inv = await client.invite({ invitedUserEmailAddress: 'kept@fabrikam.com', inviteRedirectUrl: REDIRECT }, { signal: controller.signal })
  assert.equal(inv.status, 'PendingAcceptance')
  await assert.rejects(client.status('ghost@fabrikam.com', { signal: controller.signal }), (e) => e.kind === 'NotFound')
  const all = await client.guests({ signal: controller.signal }).toArray()
  assert.ok(all.length >= 1)
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0)
})

test('a signal that is not an AbortSignal is refused', async () => {
  await assert.rejects(client.lookup('x@fabrikam.com', { signal: {} }), (e) => e instanceof InvalidInputError && e.field === 'signal')
})
