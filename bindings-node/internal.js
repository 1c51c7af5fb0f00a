'use strict'
// Private: what the testing package (`entra-invite-testing`) needs from this one. Not an API:
// it changes with the version, which is why entra-invite-testing requires this exact version.
module.exports = {
  version: require('./package.json').version,
  native: require('./binding.js'),
  errors: require('./errors.js'),
  target: require('./target.js').target,
}
