// Runs every shared scenario in tests/scenarios/ (see its README) through the Node API, as
// core/tests/scenarios.rs does through Rust.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Client, EntraInviteError } from 'entra-invite'
import { Emulator } from 'entra-invite/testing'

// ENTRA_INVITE_SCENARIOS_DIR points the runner at another directory of scenarios.
const dir = process.env.ENTRA_INVITE_SCENARIOS_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tests/scenarios')
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()

// The keys each part of a scenario may have (tests/scenarios/README.md). Step `input` objects are
// op-specific and not checked.
const TOP_KEYS = ['name', 'setup', 'client', 'steps']
const SETUP_KEYS = ['users', 'domains', 'faults', 'policy']
const CLIENT_KEYS = ['app', 'maxRetries', 'timeoutSecs']
const STEP_KEYS = ['op', 'input', 'expect']
const EXPECT_KEYS = ['ok', 'okPrefix', 'okPresent', 'save', 'error', 'noRequest']
const ERROR_KEYS = ['kind', 'code', 'field', 'maybeApplied']

/**
 * One line per key of the scenario that the format does not know (a typo'd key would otherwise
 * be ignored, and the expectation it was meant to carry would never run).
 */
function unknownKeys(sc, name) {
  const out = []
  const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)
  const check = (v, allowed, ctx, part) => {
    for (const k of isObject(v) ? Object.keys(v) : []) {
      if (!allowed.includes(k)) out.push(`${ctx}: unknown key "${k}" in ${part} (allowed: ${allowed.join(', ')})`)
    }
  }
  check(sc, TOP_KEYS, name, 'the scenario')
  check(sc?.setup, SETUP_KEYS, name, 'setup')
  check(sc?.client, CLIENT_KEYS, name, 'client')
  for (const [i, step] of (Array.isArray(sc?.steps) ? sc.steps : []).entries()) {
    const ctx = `${name} step ${i} (${step?.op ?? '?'})`
    check(step, STEP_KEYS, ctx, 'the step')
    check(step?.expect, EXPECT_KEYS, ctx, 'expect')
    check(step?.expect?.error, ERROR_KEYS, ctx, 'expect.error')
  }
  return out
}

function subst(v, saved, ctx) {
  if (typeof v === 'string' && v.startsWith('$')) {
    assert.ok(Object.hasOwn(saved, v.slice(1)), `${ctx}: nothing saved as ${v}`)
    return saved[v.slice(1)]
  }
  if (Array.isArray(v)) return v.map((x) => subst(x, saved, ctx))
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, subst(x, saved, ctx)]))
  return v
}

/**
 * `a.b.0.c`: object keys and array indices. A key or index that is not there (or holds
 * `undefined`, which JSON cannot say) fails the step, naming the path: a typo'd path never reads
 * as JSON null.
 */
function at(v, p, ctx) {
  return p.split('.').reduce((cur, k) => {
    const there = Array.isArray(cur)
      ? /^\d+$/.test(k) && Number(k) < cur.length
      : cur !== null && typeof cur === 'object' && Object.hasOwn(cur, k)
    if (!there || cur[k] === undefined) assert.fail(`${ctx}: path ${p} does not exist in ${JSON.stringify(v)}`)
    return cur[k]
  }, v)
}

/** The user properties the library $selects: Graph answers each of them, null when unset. */
const USER_KEYS = ['id', 'displayName', 'mail', 'userPrincipalName', 'userType', 'creationType', 'externalUserState',
  'externalUserStateChangeDateTime', 'accountEnabled', 'otherMails', 'proxyAddresses', 'createdDateTime']

/**
 * `v` with each of `keys` that it lacks set to null: the library leaves unset properties out, the
 * canonical shape has them as null (as the Kotlin and Swift runners build it).
 */
const withNulls = (v, keys) =>
  v !== null && typeof v === 'object' ? { ...Object.fromEntries(keys.map((k) => [k, null])), ...v } : v

/** Graph's invitation JSON, `invitedUser` with its `id` and `userPrincipalName`. */
const invitationJson = (i) => ({ ...i, invitedUser: withNulls(i.invitedUser ?? null, ['id', 'userPrincipalName']) })

/** `{ invited, invitation, user }` (inviteIfAbsent) or `{ exists, user, verifiedDomain }` (lookup). */
function outcomeJson(o) {
  const r = { ...o, user: withNulls(o.user ?? null, USER_KEYS) }
  if (o.invitation) r.invitation = invitationJson(o.invitation)
  return r
}

/** The scenario's invite input in Graph's names. */
function request(input) {
  const r = {
    invitedUserEmailAddress: input.email ?? '',
    inviteRedirectUrl: input.redirectUrl ?? '',
    invitedUserDisplayName: input.displayName,
    sendInvitationMessage: input.sendMessage ?? false,
    invitedUserType: input.userType,
    customizedMessageBody: input.message,
    messageLanguage: input.language,
    ccRecipients: (input.cc ?? []).map((address) => ({ address })),
  }
  return r
}

/** A run refused because its results file was in use by another run. */
const refused = (e) => e instanceof EntraInviteError && e.kind === 'InvalidInput' && e.field === 'results'

/**
 * Writes the step's CSV (text, or base64 bytes for files that are not UTF-8) to a temporary file
 * and runs a bulk invitation over it to the end (default options; `dryRun` and `skipExisting` as
 * given; `results` names `<name>.csv` in the scenario's own folder, `folder`, which lives for the
 * whole scenario so later steps resume it). Answers the canonical `{ summary, rows }`, or, with
 * `concurrent: n` (n runs of the same input and results file started at once),
 * `{ completed, refused }`.
 */
async function bulk(client, input, folder) {
  const bytes = input.csvBase64 !== undefined ? Buffer.from(input.csvBase64, 'base64') : Buffer.from(input.csv ?? '', 'utf8')
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ei-scenario-bulk-'))
  try {
    const file = path.join(tmp, 'input.csv')
    fs.writeFileSync(file, bytes)
    const options = { dryRun: input.dryRun ?? false, skipExisting: input.skipExisting ?? true }
    if (input.results !== undefined && input.results !== null) options.results = path.join(folder, `${input.results}.csv`)
    if (input.concurrent !== undefined && input.concurrent !== null) {
      const n = input.concurrent
      assert.ok(Number.isInteger(n) && n >= 1, `concurrent: ${JSON.stringify(n)}`)
      // Every run starts when bulkInvite is called: all are started before any is drained.
      const runs = Array.from({ length: n }, () => client.bulkInvite(file, options))
      const outcomes = await Promise.all(runs.map((run) => run.finish().then(
        () => 'completed',
        (e) => {
          if (refused(e)) return 'refused'
          assert.fail(`a concurrent run failed: ${e?.name}: ${e?.message}`)
        },
      )))
      return {
        completed: outcomes.filter((o) => o === 'completed').length,
        refused: outcomes.filter((o) => o === 'refused').length,
      }
    }
    const run = client.bulkInvite(file, options)
    const rows = []
    for await (const r of run) {
      rows.push({
        row: r.row, email: r.email, outcome: r.outcome, errorKind: r.errorKind, userId: r.userId, redeemUrl: r.redeemUrl,
      })
    }
    rows.sort((a, b) => a.row - b.row)
    const s = await run.summary()
    const summary = {
      invited: s.invited, existing: s.existing, failed: s.failed, invalid: s.invalid, valid: s.valid,
      resumed: s.resumed, added: s.added, fixed: s.fixed, removed: s.removed, inputChanged: s.inputChanged,
    }
    return { summary, rows }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

async function runOp(emu, client, op, rawInput, folder) {
  const input = rawInput ?? {}
  switch (op) {
    case 'invite':
      return invitationJson(await client.invite(request(input)))
    case 'inviteIfAbsent':
      return outcomeJson(await client.inviteIfAbsent(request(input)))
    case 'lookup':
      return outcomeJson(await client.lookup(input.email))
    case 'status': {
      const s = await client.status(input.user)
      return { userId: s.userId, email: s.email, state: s.state, changedAt: s.changedAt ? s.changedAt.toISOString() : null }
    }
    case 'guests': {
      const all = await client.guests({ state: input.state ?? null }).toArray()
      return { count: all.length, emails: all.map((g) => g.email).filter(Boolean).sort() }
    }
    case 'reset':
      return invitationJson(await client.resetRedemption(input.user, { invitedUserEmailAddress: input.email, inviteRedirectUrl: input.redirectUrl }))
    case 'bulk':
      return bulk(client, input, folder)
    case 'redeem':
      return emu.redeem(input.email)
    case 'faults':
      return rawInput === null ? emu.control('DELETE', 'faults') : emu.control('PUT', 'faults', rawInput)
    case 'counters':
      return emu.control('GET', 'counters')
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
      // A key the format does not know fails the scenario before anything runs.
      const unknown = unknownKeys(sc, file)
      assert.ok(unknown.length === 0, unknown.join('\n'))
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
      const options = { ...creds }
      if (sc.client?.maxRetries !== undefined) options.maxRetries = sc.client.maxRetries
      if (sc.client?.timeoutSecs !== undefined) options.timeout = sc.client.timeoutSecs * 1000
      const client = new Client(emu.clientOptions(options))
      const saved = {}
      // The scenario's own folder (bulk results files), kept across its steps.
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ei-scenario-'))
      try {
        for (const [i, step] of sc.steps.entries()) {
          const ctx = `${file} step ${i} (${step.op})`
          const input = subst(step.input ?? null, saved, ctx)
          const expect = subst(step.expect ?? {}, saved, ctx)
          const before = (await emu.stats()).totalRequests
          let result
          let error
          try {
            result = await runOp(emu, client, step.op, input, folder)
          } catch (e) {
            error = e
          }
          const afterCount = (await emu.stats()).totalRequests
          // The counter reads themselves are not counted; nothing else may have happened.
          if (expect.noRequest) assert.equal(afterCount, before, `${ctx}: a request reached Graph`)
          if (expect.error) {
            const want = expect.error
            assert.ok(error, `${ctx}: expected ${JSON.stringify(want)}, got ${JSON.stringify(result)}`)
            assert.ok(error instanceof EntraInviteError, `${ctx}: ${error?.stack ?? error}`)
            if (want.kind !== undefined) {
              assert.equal(error.kind, want.kind, `${ctx}: ${error.message}`)
              assert.equal(error.name, `${want.kind}Error`, ctx)
            }
            if (want.code !== undefined) assert.equal(error.code, want.code, `${ctx}: ${error.message}`)
            if (want.field !== undefined) assert.equal(error.field, want.field, `${ctx}: ${error.message}`)
            if (want.maybeApplied !== undefined) assert.equal(error.maybeApplied, want.maybeApplied, `${ctx}: maybeApplied of ${error.message}`)
            continue
          }
          if (error) throw new Error(`${ctx}: ${error.name}: ${error.message}`, { cause: error })
          // node:assert/strict: deepEqual is deepStrictEqual, so `true` never equals `1`.
          for (const [p, want] of Object.entries(expect.ok ?? {})) assert.deepEqual(at(result, p, ctx), want, `${ctx}: ${p} in ${JSON.stringify(result)}`)
          for (const [p, want] of Object.entries(expect.okPrefix ?? {})) {
            const got = at(result, p, ctx)
            assert.ok(typeof got === 'string' && got.startsWith(want), `${ctx}: ${p} = ${JSON.stringify(got)}`)
          }
          for (const p of expect.okPresent ?? []) assert.notEqual(at(result, p, ctx), null, `${ctx}: ${p} is null`)
          for (const [k, p] of Object.entries(expect.save ?? {})) saved[k] = at(result, p, ctx)
        }
      } finally {
        fs.rmSync(folder, { recursive: true, force: true })
      }
    })
  }
})
