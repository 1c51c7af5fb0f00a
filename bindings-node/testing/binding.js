'use strict'
// Loads this package's addon (the emulator): `entra-invite-testing.<platform>-<arch>[-<abi>].node`
// next to this file, for the platform the main package detects (on Linux, the running Node's C
// library). The published package carries one addon per supported platform.
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const main = require('entra-invite/internal')
const { version } = require('./package.json')

if (main.version !== version) {
  throw new Error(
    `entra-invite-testing ${version} needs entra-invite ${version}, found ${main.version}: ` +
      `npm install entra-invite@${version} entra-invite-testing@${version}`,
  )
}

const name = main.target()
const file = join(__dirname, `entra-invite-testing.${name}.node`)
if (!existsSync(file)) {
  throw new Error(`entra-invite-testing: no emulator addon for ${name} in this package (looked for ${file})`)
}
module.exports = require(file)
