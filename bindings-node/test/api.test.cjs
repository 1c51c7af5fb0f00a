'use strict'
// The API suite through CommonJS: require('entra-invite').
const suite = require('./suite.cjs')

suite('CommonJS', require('entra-invite'), require('entra-invite/testing'))

const { test } = require('node:test')
const assert = require('node:assert/strict')

test('there is one error class per core error kind', () => {
  const kinds = require('../binding.js').errorKinds()
  const { errorClasses } = require('../errors.js')
  assert.deepEqual(Object.keys(errorClasses).sort(), [...kinds].sort())
  const pkg = require('entra-invite')
  for (const k of kinds) assert.equal(pkg[`${k}Error`], errorClasses[k], k)
})
