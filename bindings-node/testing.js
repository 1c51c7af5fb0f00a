'use strict'
// entra-invite/testing: the in-process Graph emulator for your own tests, which lives in the
// separate, optional package `entra-invite-testing` (so production installs do not carry it).
// This entry re-exports it when it is installed.
//
//   npm install --save-dev entra-invite-testing
//   const { Emulator } = require('entra-invite/testing')   // or require('entra-invite-testing')

const PKG = 'entra-invite-testing'

function load() {
  try {
    return require(PKG)
  } catch (e) {
    if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes(`'${PKG}'`)) {
      const err = new Error(
        `entra-invite/testing needs the separate test-support package ${PKG}, which is not installed: ` +
          `npm install --save-dev ${PKG}`,
        { cause: e },
      )
      err.code = 'ERR_ENTRA_INVITE_TESTING_MISSING'
      throw err
    }
    throw e
  }
}

module.exports = load()
