'use strict'
// Loads the native addon: the file built next to this one (`npm run build`, run-tests.sh), or a
// per-platform package (`entra-invite-<platform>-<arch>[-abi]`) when the package is published.
const { existsSync } = require('node:fs')
const { join } = require('node:path')

function load() {
  const { platform, arch } = process
  const abis = platform === 'linux' ? ['-gnu', '-musl'] : platform === 'win32' ? ['-msvc'] : ['']
  const tried = []
  for (const abi of abis) {
    const file = join(__dirname, `entra-invite.${platform}-${arch}${abi}.node`)
    tried.push(file)
    if (existsSync(file)) return require(file)
  }
  for (const abi of abis) {
    const pkg = `entra-invite-${platform}-${arch}${abi}`
    tried.push(pkg)
    try {
      return require(pkg)
    } catch (e) {
      if (e.code !== 'MODULE_NOT_FOUND') throw e
    }
  }
  throw new Error(`entra-invite: no native addon for ${platform}-${arch}; looked for ${tried.join(', ')}`)
}

module.exports = load()
