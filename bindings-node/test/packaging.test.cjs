'use strict'
// The production addon carries no emulator: the emulator (and its control API, `/_emulator/...`)
// is in the separate testing addon (`entra-invite-testing`). And `require('entra-invite')` works
// without the testing package, whose absence `entra-invite/testing` reports with the fix.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')

const root = path.resolve(__dirname, '..')
const platform = require('../target.js').target()
const mainAddon = path.join(root, `entra-invite.${platform}.node`)
const testingAddon = path.join(root, 'testing', `entra-invite-testing.${platform}.node`)

// A string only the emulator has: the prefix of its control API's routes.
const EMULATOR_MARKERS = ['/_emulator/']

test('the production addon contains no emulator; the testing addon does', () => {
  const main = fs.readFileSync(mainAddon)
  const testing = fs.readFileSync(testingAddon)
  for (const marker of EMULATOR_MARKERS) {
    assert.equal(main.indexOf(marker), -1, `${mainAddon} contains ${marker}`)
    assert.notEqual(testing.indexOf(marker), -1, `${testingAddon} lacks ${marker}`)
  }
  const native = require('../binding.js')
  assert.equal(native.startEmulator, undefined)
  assert.equal(native.NativeEmulator, undefined)
  assert.equal(typeof native.NativeClient, 'function')
})

test("require('entra-invite') works without entra-invite-testing; entra-invite/testing says what to install", () => {
  // A project with only the main package: its files copied, its addon linked.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'entra-invite-no-testing-'))
  try {
    const pkg = path.join(dir, 'node_modules', 'entra-invite')
    fs.mkdirSync(pkg, { recursive: true })
    for (const f of fs.readdirSync(root)) {
      if (/\.(js|mjs|d\.ts)$/.test(f) || f === 'package.json') fs.copyFileSync(path.join(root, f), path.join(pkg, f))
    }
    fs.symlinkSync(mainAddon, path.join(pkg, path.basename(mainAddon)))
    const out = execFileSync(process.execPath, ['-e', `
      const { Client, NotFoundError } = require('entra-invite')
      let err
      try { require('entra-invite/testing') } catch (e) { err = e }
      import('entra-invite/testing').then(() => null, (e) => e).then((esm) => {
        process.stdout.write(JSON.stringify({ client: typeof Client, nf: typeof NotFoundError, code: err && err.code, message: err && err.message, esm: esm && esm.message }))
      })`], { cwd: dir, encoding: 'utf8' })
    const r = JSON.parse(out)
    assert.equal(r.client, 'function')
    assert.equal(r.nf, 'function')
    assert.equal(r.code, 'ERR_ENTRA_INVITE_TESTING_MISSING')
    assert.match(r.message, /npm install --save-dev entra-invite-testing/)
    assert.match(r.esm, /npm install --save-dev entra-invite-testing/)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
