// Bulk invitation from Node: the admin center's CSV, one result per row, resume from the
// results file, bad options refused.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BulkRun, InvalidInputError } from 'entra-invite'
import { Emulator } from 'entra-invite/testing'

let emu
let client
let dir
before(async () => {
  emu = await Emulator.start()
  client = emu.client()
  dir = mkdtempSync(join(tmpdir(), 'ei-node-bulk-'))
})
after(() => emu.stop())

function template(rows) {
  const lines = [
    'version:v1.0',
    'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]',
    'Example: Istokes@fabrikam.com,https://myapplications.microsoft.com,TRUE,Welcome!',
    ...rows,
  ]
  const p = join(dir, `in-${rows.length}-${Date.now()}.csv`)
  writeFileSync(p, lines.join('\r\n') + '\r\n')
  return p
}

test('every row gets one result, existing and invalid rows included', async () => {
  await client.invite({ invitedUserEmailAddress: 'already@fabrikam.com', inviteRedirectUrl: 'https://myapps.microsoft.com/' })
  const input = template([
    'n1@fabrikam.com,https://myapps.microsoft.com/,false,',
    'n2@litware.com,https://myapps.microsoft.com/,TRUE,"Hello, partner"',
    'already@fabrikam.com,https://myapps.microsoft.com/,false,',
    'broken@@fabrikam.com,https://myapps.microsoft.com/,false,',
    'n1@fabrikam.com,https://myapps.microsoft.com/,false,',
  ])
  const results = join(dir, 'results.csv')
  const run = client.bulkInvite(input, { results, concurrency: 4 })
  assert.ok(run instanceof BulkRun)
  const seen = []
  for await (const r of run) seen.push(r)
  const byEmail = Object.fromEntries(seen.map((r) => [`${r.row}:${r.email}`, r.outcome]))
  assert.equal(seen.length, 5)
  assert.equal(byEmail['4:n1@fabrikam.com'], 'invited')
  assert.equal(byEmail['5:n2@litware.com'], 'invited')
  assert.equal(byEmail['6:already@fabrikam.com'], 'existing')
  assert.equal(byEmail['7:broken@@fabrikam.com'], 'invalid')
  assert.equal(byEmail['8:n1@fabrikam.com'], 'existing', 'a repeated address is not invited twice')
  const invited = seen.find((r) => r.email === 'n2@litware.com')
  assert.match(invited.redeemUrl, /^https:\/\/login\.microsoftonline\.com\/redeem\?rd=/)
  assert.equal(seen.find((r) => r.outcome === 'invalid').errorKind, 'InvalidInput')
  assert.deepEqual(await run.summary(), {
    invited: 2, existing: 2, failed: 0, invalid: 1, valid: 0, resumed: 0, added: 0, fixed: 0, removed: 0, inputChanged: false,
  })
  assert.match(readFileSync(results, 'utf8'), /^row,email,outcome,user_id,redeem_url,error_kind,error_code,message,request_id/)
  // The same results file again: everything is already settled, nothing is sent.
  const before = (await emu.stats()).totalRequests
  const again = await client.bulkInvite(input, { results }).finish()
  // Settled rows are resumed; the invalid row and the repeated address are reported again.
  assert.equal(again.resumed, 3)
  assert.equal(again.invalid, 1)
  assert.equal(again.existing, 1)
  assert.equal(again.inputChanged, false)
  assert.equal((await emu.stats()).totalRequests, before)
})

test('dry run sends nothing; bad options and files are refused', async () => {
  const input = template(['d1@fabrikam.com,https://myapps.microsoft.com/,false,'])
  const before = (await emu.stats()).totalRequests
  assert.equal((await client.bulkInvite(input, { dryRun: true }).finish()).valid, 1)
  assert.equal((await emu.stats()).totalRequests, before)
  assert.throws(() => client.bulkInvite(input, { concurrency: 0 }), (e) => e instanceof InvalidInputError && e.field === 'concurrency')
  assert.throws(() => client.bulkInvite(input, { dryRun: 'yes' }), (e) => e instanceof InvalidInputError && e.field === 'dryRun')
  for (const settleTimeout of [-1, 'soon']) {
    assert.throws(() => client.bulkInvite(input, { settleTimeout }), (e) => e instanceof InvalidInputError && e.field === 'settleTimeout')
  }
  assert.throws(() => client.bulkInvite(input, { wait: 1 }), (e) => e instanceof InvalidInputError && e.field === 'wait')
  assert.equal((await client.bulkInvite(input, { dryRun: true, wait: true, settleTimeout: 0 }).finish()).valid, 1)
  assert.throws(() => client.bulkInvite(join(dir, 'missing.csv')), (e) => e instanceof InvalidInputError && e.field === 'input')
  const bad = join(dir, 'bad.csv')
  writeFileSync(bad, 'name,phone\nx,y\n')
  await assert.rejects(client.bulkInvite(bad).finish(), (e) => e instanceof InvalidInputError && e.field === 'csv')
})
