// Runs every shared scenario in tests/scenarios/ (see its README) through the Node API, as
// core/tests/scenarios.rs does through Rust.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Client, EntraInviteError } from 'entra-invite'
import { Emulator } from 'entra-invite/testing'

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tests/scenarios')
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()

function subst(v, saved) {
  if (typeof v === 'string' && v.startsWith('$')) {
    assert.ok(v.slice(1) in saved, `nothing saved as ${v}`)
    return saved[v.slice(1)]
  }
  if (Array.isArray(v)) return v.map((x) => subst(x, saved))
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, subst(x, saved)]))
  return v
}

const at = (v, p) => p.split('.').reduce((cur, k) => (cur === null || cur === undefined ? null : (cur[k] ?? null)), v)

/** The scenario's invite input in Graph's names. */
function request(input) {
  const r = {
    invitedUserEmailAddress: input.email ?? '',
    inviteRedirectUrl: input.redirectUrl ?? '',
    invitedUserDisplayName: input.displayName,
    sendInvitationMessage: input.sendMessage ?? false,
    invitedUserType: input.userType,
  }
  if (input.message !== undefined || input.language !== undefined || input.cc !== undefined) {
    r.invitedUserMessageInfo = {
      customizedMessageBody: input.message,
      messageLanguage: input.language,
      ccRecipients: (input.cc ?? []).map((address) => ({ emailAddress: { address } })),
    }
  }
  return r
}

async function runOp(emu, client, op, input) {
  switch (op) {
    case 'invite':
      return client.invite(request(input))
    case 'inviteIfAbsent':
      return client.inviteIfAbsent(request(input))
    case 'lookup':
      return client.lookup(input.email)
    case 'status': {
      const s = await client.status(input.user)
      return { userId: s.userId, email: s.email, state: s.state, changedAt: s.changedAt ? s.changedAt.toISOString() : null }
    }
    case 'guests': {
      const all = await client.guests({ state: input.state ?? null }).toArray()
      return { count: all.length, emails: all.map((g) => g.email).filter(Boolean).sort() }
    }
    case 'reset':
      return client.resetRedemption(input.user, { invitedUserEmailAddress: input.email, inviteRedirectUrl: input.redirectUrl })
    case 'redeem':
      return emu.redeem(input.email)
    default:
      throw new Error(`unknown op ${op}`)
  }
}

describe('shared scenarios (tests/scenarios)', () => {
  let emu
  before(async () => {
    emu = await Emulator.start()
  })
  after(() => emu.stop())

  test('there are scenarios to run', () => assert.ok(files.length >= 10, `only ${files.length}`))

  for (const file of files) {
    const sc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))
    test(`${file}: ${sc.name}`, async () => {
      await emu.reset()
      const setup = sc.setup ?? {}
      for (const d of setup.domains ?? []) await emu.addDomain(d)
      for (const u of setup.users ?? []) await emu.addUser(u)
      if (setup.policy) await emu.control('POST', 'policy', setup.policy)
      if (setup.faults) await emu.setFaults(setup.faults)
      const app = sc.client?.app ?? 'default'
      const creds = {
        default: {},
        readonly: { clientId: emu.readonlyClientId, clientSecret: emu.readonlyClientSecret },
        wrongSecret: { clientId: emu.clientId, clientSecret: 'not-the-secret' },
      }[app]
      assert.ok(creds, `unknown app ${app}`)
      const maxRetries = sc.client?.maxRetries
      const client = new Client(emu.clientOptions({ ...creds, ...(maxRetries === undefined ? {} : { maxRetries }) }))
      const saved = {}
      for (const [i, step] of sc.steps.entries()) {
        const input = subst(step.input ?? {}, saved)
        const expect = subst(step.expect ?? {}, saved)
        const ctx = `${file} step ${i} (${step.op})`
        const before = (await emu.stats()).totalRequests
        let result
        let error
        try {
          result = await runOp(emu, client, step.op, input)
        } catch (e) {
          error = e
        }
        const afterCount = (await emu.stats()).totalRequests
        if (expect.error) {
          assert.ok(error, `${ctx}: expected ${JSON.stringify(expect.error)}, got ${JSON.stringify(result)}`)
          assert.ok(error instanceof EntraInviteError, `${ctx}: ${error}`)
          assert.equal(error.kind, expect.error.kind, `${ctx}: ${error.message}`)
          if (expect.error.code) assert.equal(error.code, expect.error.code, ctx)
          if (expect.error.field) assert.equal(error.field, expect.error.field, ctx)
          if (expect.noRequest) assert.equal(afterCount, before, `${ctx}: a request reached Graph`)
          continue
        }
        if (error) throw new Error(`${ctx}: ${error.name}: ${error.message}`, { cause: error })
        for (const [p, want] of Object.entries(expect.ok ?? {})) assert.deepEqual(at(result, p), want, `${ctx}: ${p} in ${JSON.stringify(result)}`)
        for (const [p, want] of Object.entries(expect.okPrefix ?? {})) assert.ok(String(at(result, p) ?? '').startsWith(want), `${ctx}: ${p}`)
        for (const p of expect.okPresent ?? []) assert.notEqual(at(result, p), null, `${ctx}: ${p} missing`)
        for (const [k, p] of Object.entries(expect.save ?? {})) saved[k] = at(result, p)
      }
    })
  }
})
