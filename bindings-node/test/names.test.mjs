// The public names against tests/api/names.json (the names every binding shares, camelCase here):
// the generated declarations (native.d.ts), the objects calls return, the error properties, the
// Client's methods and properties. Any difference fails.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { Client, EntraInviteError } from 'entra-invite'
import { Emulator } from 'entra-invite/testing'

const here = path.dirname(fileURLToPath(import.meta.url))
const names = JSON.parse(fs.readFileSync(path.resolve(here, '../../tests/api/names.json'), 'utf8'))
const dts = fs.readFileSync(path.resolve(here, '../native.d.ts'), 'utf8')
const sorted = (xs) => [...xs].sort()

/** Field names of each `export interface` of the generated declarations. */
const interfaces = Object.fromEntries(
  [...dts.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)].map(([, name, body]) => [
    name,
    [...body.matchAll(/^ {2}(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]),
  ]),
)
/** The values of each generated string union (`export type X = 'a' | 'b'`). */
const unions = Object.fromEntries(
  [...dts.matchAll(/^export type (\w+) = ((?:'[^']*'(?: \| )?)+)$/gm)].map(([, name, def]) => [
    name,
    [...def.matchAll(/'([^']*)'/g)].map((m) => m[1]),
  ]),
)

test('every type and input of names.json is declared with exactly its fields', () => {
  for (const [type, fields] of Object.entries({ ...names.types, ...names.inputs })) {
    assert.ok(interfaces[type], `native.d.ts declares ${type}`)
    assert.deepEqual(sorted(interfaces[type]), sorted(fields), type)
  }
})

test('every enum of names.json is declared with exactly its values', () => {
  for (const [type, values] of Object.entries(names.enums)) {
    assert.deepEqual(sorted(unions[type] ?? []), sorted(values), type)
  }
  const require = createRequire(import.meta.url)
  assert.deepEqual(sorted(require('../binding.js').errorKinds()), sorted(names.enums.ErrorKind))
})

test('the Client has exactly the methods, properties and constructors of names.json', () => {
  const proto = Object.getOwnPropertyDescriptors(Client.prototype)
  delete proto.constructor
  const methods = Object.keys(proto).filter((k) => typeof proto[k].value === 'function')
  const properties = Object.keys(proto).filter((k) => proto[k].get)
  assert.deepEqual(sorted(methods), sorted(names.client.methods))
  assert.deepEqual(sorted(properties), sorted(names.client.properties))
  const statics = Object.getOwnPropertyNames(Client).filter((k) => typeof Client[k] === 'function')
  assert.deepEqual(sorted(statics), sorted(names.client.constructors))
})

test('errors carry exactly the ErrorDetails fields', async () => {
  const e = await new Client({ token: 't', graphUrl: 'http://127.0.0.1:9' }).invite({}).catch((x) => x)
  assert.ok(e instanceof EntraInviteError)
  const own = Object.keys(e).filter((k) => k !== 'name')
  assert.deepEqual(sorted([...own, 'message']), sorted(names.types.ErrorDetails))
})

test('the objects calls return have exactly the fields of names.json', async () => {
  const emu = await Emulator.start()
  try {
    const client = emu.client()
    const check = (type, obj) => assert.deepEqual(sorted(Object.keys(obj)), sorted(names.types[type]), type)
    const email = `names.${process.pid}@fabrikam.com`
    const inv = await client.invite({
      invitedUserEmailAddress: email, inviteRedirectUrl: 'https://myapps.microsoft.com/',
      customizedMessageBody: 'Hello', ccRecipients: [{ address: 'lead@contoso.com', name: 'Lead' }],
    })
    check('Invitation', inv)
    check('InvitedUser', inv.invitedUser)
    check('InvitedUserMessageInfo', inv.invitedUserMessageInfo)
    check('Recipient', inv.invitedUserMessageInfo.ccRecipients[0])
    check('EmailAddress', inv.invitedUserMessageInfo.ccRecipients[0].emailAddress)
    const found = await client.lookup(email)
    check('Lookup', found)
    check('User', found.user)
    check('InviteOutcome', await client.inviteIfAbsent({ invitedUserEmailAddress: email, inviteRedirectUrl: 'https://myapps.microsoft.com/' }))
    check('GuestStatus', await client.status(email))
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entra-invite-names-'))
    const input = path.join(dir, 'in.csv')
    fs.writeFileSync(input, 'invitedUserEmailAddress,inviteRedirectUrl\nrow@fabrikam.com,https://myapps.microsoft.com/\n')
    const run = client.bulkInvite(input, { dryRun: true })
    for await (const r of run) check('BulkResult', r)
    check('BulkSummary', await run.summary())
    fs.rmSync(dir, { recursive: true, force: true })
  } finally {
    await emu.stop()
  }
})
