'use strict'
// Where calls run: loading the package starts no thread and no runtime; every promise-returning
// call runs on the core's runtime (threads named `entra-invite-rt`), never on a napi runtime;
// 1,000 concurrent calls complete; a panic in the core is an InternalError, not an abort.

const { test, describe, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

const linux = process.platform === 'linux'
const root = path.resolve(__dirname, '..')
const RT = 'entra-invite-rt'

/** Names of this process's threads (Linux). */
function threadNames() {
  return fs.readdirSync('/proc/self/task').map((t) => {
    try {
      return fs.readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim()
    } catch {
      return '(gone)'
    }
  })
}

function childThreads(code, type = 'commonjs') {
  const args = type === 'module' ? ['--input-type=module', '-e', code] : ['-e', code]
  return JSON.parse(execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }))
}

const PROBE = `
const names = () => require('node:fs').readdirSync('/proc/self/task').map((t) => require('node:fs').readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim())
`

describe('the one runtime', { skip: !linux && 'thread names are read from /proc (Linux)' }, () => {
  test('require() starts no thread and no runtime', () => {
    const r = childThreads(`${PROBE}
      const before = names()
      require('entra-invite'); const testing = require('entra-invite/testing')
      const after = names()
      process.stdout.write(JSON.stringify({ before, after, started: testing.runtimeStarted() }))`)
    assert.deepEqual(r.after, r.before)
    assert.equal(r.started, false)
  })

  test('import starts no thread and no runtime', () => {
    const r = childThreads(`
      import fs from 'node:fs'
      const names = () => fs.readdirSync('/proc/self/task').map((t) => fs.readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim())
      await fs.promises.stat('.') // starts libuv's thread pool, which the ESM loader uses anyway
      const before = names()
      await import('entra-invite'); const testing = await import('entra-invite/testing')
      const after = names()
      process.stdout.write(JSON.stringify({ before, after, started: testing.runtimeStarted() }))`, 'module')
    assert.deepEqual(r.after, r.before)
    assert.equal(r.started, false)
  })

  test('calls add only entra-invite-rt threads (no napi or tokio runtime of their own)', () => {
    const r = childThreads(`${PROBE}
      process.env.ENTRA_INVITE_WORKER_THREADS = '2'
      const { Emulator, runtimeStarted } = require('entra-invite/testing')
      const before = names()
      ;(async () => {
        const emu = await Emulator.start()
        const c = emu.client()
        await Promise.all(Array.from({ length: 200 }, (_, i) => c.lookup('u' + i + '@fabrikam.com')))
        const after = names()
        await emu.stop()
        process.stdout.write(JSON.stringify({ before, after, started: runtimeStarted() }))
      })()`)
    assert.equal(r.started, true)
    const added = [...r.after]
    for (const n of r.before) added.splice(added.indexOf(n), 1)
    assert.ok(added.length >= 2, `added: ${added}`)
    assert.deepEqual([...new Set(added)], [RT], `new threads: ${added}`)
    // 2 workers (ENTRA_INVITE_WORKER_THREADS) of the runtime the calls use, 2 of the testing
    // package's own copy of the core (where its emulator runs), plus, at most, their blocking pools.
    assert.ok(added.length <= 6, `${added.length} runtime threads`)
  })
})

describe('calls on the runtime', () => {
  let emu
  let testing
  before(async () => {
    testing = require('entra-invite/testing')
    emu = await testing.Emulator.start()
  })
  after(() => emu.stop())

  test('a promise-returning call runs on an entra-invite-rt thread', async () => {
    assert.equal(await testing.runtimeThreadName(), RT)
    const names = await Promise.all(Array.from({ length: 50 }, () => testing.runtimeThreadName()))
    assert.deepEqual([...new Set(names)], [RT])
  })

  test('1,000 concurrent calls complete, on the runtime threads only', async () => {
    const client = emu.client()
    const before = linux ? threadNames() : []
    const seeded = await emu.addUser({ displayName: 'Seed', mail: 'seed@fabrikam.com', userType: 'Guest', creationType: 'Invitation', externalUserState: 'Accepted' })
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => (i % 2 ? client.lookup(`nobody${i}@fabrikam.com`) : client.status(seeded.id))),
    )
    assert.equal(results.length, 1000)
    assert.ok(results.every((r, i) => (i % 2 ? r.exists === false : r.userId === seeded.id)))
    const stats = await emu.stats()
    assert.ok(stats.totalRequests >= 1000)
    if (linux) {
      const added = threadNames().filter((n) => !before.includes(n))
      assert.ok(added.every((n) => n === RT), `threads added: ${added}`)
      assert.ok(!threadNames().some((n) => /^tokio/.test(n)), 'no tokio runtime of napi')
    }
  })

  test('a panic in the core rejects with InternalError; the process and later calls carry on', async () => {
    const { EntraInviteError, InternalError } = require('entra-invite')
    const client = emu.client()
    const e = await testing._forceInternalError().then(() => null, (x) => x)
    assert.ok(e instanceof InternalError && e instanceof EntraInviteError, `${e?.stack ?? e}`)
    assert.equal(e.kind, 'Internal')
    assert.equal(e.name, 'InternalError')
    const many = await Promise.allSettled(Array.from({ length: 4 }, () => testing._forceInternalError()))
    assert.ok(many.every((r) => r.status === 'rejected' && r.reason instanceof InternalError), JSON.stringify(many))
    assert.equal((await client.lookup('after-a-panic@fabrikam.com')).exists, false)
    assert.equal(await testing.runtimeThreadName(), RT)
  })

  test('300 concurrent invitations complete (paced to Graph\'s 150 per 5 s, none lost)', { timeout: 60_000 }, async () => {
    await emu.reset()
    const client = emu.client()
    const n = 300
    const done = await Promise.all(
      Array.from({ length: n }, (_, i) => client.invite({ invitedUserEmailAddress: `bulk${i}@fabrikam.com`, inviteRedirectUrl: 'https://myapps.microsoft.com/' })),
    )
    assert.equal(new Set(done.map((d) => d.invitedUser.id)).size, n)
    assert.equal((await emu.stats()).invitationsCreated, n)
  })
})
