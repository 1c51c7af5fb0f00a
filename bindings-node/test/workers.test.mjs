// worker_threads: every worker loads the same addon and shares the one runtime; a worker's exit
// does not disturb the others, and a tokenProvider defined in a worker is called in that worker.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { Worker } from 'node:worker_threads'
import { Emulator, runtimeThreadName } from 'entra-invite/testing'

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { Client, NotFoundError } = require('entra-invite')
const { runtimeThreadName } = require('entra-invite/testing')
;(async () => {
  const { options, index, token } = workerData
  const client = new Client(token ? { tenant: options.tenant, graphUrl: options.graphUrl, tokenProvider: async () => token } : options)
  const invited = await client.invite({ invitedUserEmailAddress: 'worker' + index + '@fabrikam.com', inviteRedirectUrl: 'https://myapps.microsoft.com/' })
  const lookups = await Promise.all(Array.from({ length: 100 }, (_, i) => client.lookup('w' + index + '-' + i + '@fabrikam.com')))
  let notFound = false
  try { await client.status('ghost' + index + '@fabrikam.com') } catch (e) { notFound = e instanceof NotFoundError }
  parentPort.postMessage({ id: invited.invitedUser.id, misses: lookups.filter((l) => !l.exists).length, notFound, thread: await runtimeThreadName() })
})().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }))
`

function runWorker(data) {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: data })
    let msg
    w.on('message', (m) => (msg = m))
    w.on('error', reject)
    w.on('exit', (code) => (code === 0 && msg && !msg.error ? resolve(msg) : reject(new Error(`worker exit ${code}: ${msg && msg.error}`))))
  })
}

let emu
before(async () => {
  emu = await Emulator.start()
})
after(() => emu.stop())

test('3 workers and the main thread call concurrently, all on the one runtime', async () => {
  const options = emu.clientOptions()
  const main = emu.client()
  const [workers, mine] = await Promise.all([
    Promise.all([0, 1, 2].map((index) => runWorker({ options, index }))),
    Promise.all(Array.from({ length: 100 }, (_, i) => main.lookup(`main${i}@fabrikam.com`))),
  ])
  assert.equal(mine.length, 100)
  for (const w of workers) {
    assert.equal(w.misses, 100)
    assert.equal(w.notFound, true, 'error classes work in workers')
    assert.equal(w.thread, 'entra-invite-rt')
  }
  assert.equal(new Set(workers.map((w) => w.id)).size, 3)
  assert.equal((await emu.stats()).invitationsCreated, 3)
})

test('a tokenProvider inside a worker; the main thread keeps working after workers exit', async () => {
  const token = await emu.issueToken()
  const r = await runWorker({ options: { tenant: emu.tenant, graphUrl: emu.url }, index: 9, token })
  assert.equal(r.misses, 100)
  assert.equal(await runtimeThreadName(), 'entra-invite-rt')
  assert.equal((await emu.client().lookup('after-workers@fabrikam.com')).exists, false)
})
