'use strict'
// The napi-rs platform name of this process: `<platform>-<arch>[-<abi>]`, e.g. `linux-x64-gnu`,
// `linux-arm64-musl`, `darwin-arm64`, `win32-x64-msvc`. On Linux the C library is the one the
// running Node was built against (glibc or musl), read once and never guessed by trial.
const { readFileSync } = require('node:fs')

let cached

/** 'gnu' or 'musl' for the running Node on Linux. */
function linuxLibc() {
  // Node's diagnostic report names the glibc it runs on; a musl Node has no glibc version.
  try {
    const report = process.report
    if (report && typeof report.getReport === 'function') {
      const exclude = report.excludeNetwork
      report.excludeNetwork = true // no network look-ups to build the report
      try {
        const header = report.getReport().header
        return header && header.glibcVersionRuntime ? 'gnu' : 'musl'
      } finally {
        report.excludeNetwork = exclude
      }
    }
  } catch {
    // fall through to the file system
  }
  try {
    return readFileSync('/usr/bin/ldd', 'utf8').includes('musl') ? 'musl' : 'gnu'
  } catch {
    return 'gnu'
  }
}

function target() {
  if (cached === undefined) {
    const { platform, arch } = process
    const abi = platform === 'linux' ? `-${linuxLibc()}` : platform === 'win32' ? '-msvc' : ''
    cached = `${platform}-${arch}${abi}`
  }
  return cached
}

module.exports = { target }
