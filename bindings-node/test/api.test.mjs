// The API suite through ESM: import from 'entra-invite'; both forms share one addon and one runtime.
import { createRequire } from 'node:module'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as pkg from 'entra-invite'
import * as testing from 'entra-invite/testing'

const require = createRequire(import.meta.url)
const suite = require('./suite.cjs')

test('ESM and CommonJS exports are the same objects', () => {
  const cjs = require('entra-invite')
  for (const name of Object.keys(cjs)) assert.equal(pkg[name], cjs[name], name)
  assert.equal(pkg.default, cjs)
  assert.equal(testing.Emulator, require('entra-invite/testing').Emulator)
})

suite('ESM', pkg, testing)
