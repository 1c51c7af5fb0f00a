'use strict'
// Loads the native addon: the file built next to this one (`npm run build`, run-tests.sh), or the
// per-platform package `entra-invite-<platform>-<arch>[-<abi>]` (an optionalDependency of the
// published package; npm installs only the one whose os/cpu/libc match). On Linux the abi (gnu or
// musl) is the running Node's C library (target.js), so exactly one name is looked for.
const { existsSync } = require('node:fs')
const { join } = require('node:path')
const { target } = require('./target.js')

function load() {
  const name = target()
  const file = join(__dirname, `entra-invite.${name}.node`)
  if (existsSync(file)) return require(file)
  const pkg = `entra-invite-${name}`
  try {
    return require(pkg)
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND' || !String(e.message).includes(`'${pkg}'`)) throw e
  }
  throw new Error(
    `entra-invite: no native addon for ${name}: neither ${file} nor the package ${pkg} is installed ` +
      `(npm installs it as an optional dependency of entra-invite on a supported platform; ` +
      `reinstall without --no-optional / --omit=optional)`,
  )
}

module.exports = load()
