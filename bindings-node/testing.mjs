// ESM entry of entra-invite/testing (a re-export of entra-invite-testing). Loaded through
// `require` so that, when entra-invite-testing is absent, the import fails with one clear error.
import { createRequire } from 'node:module'

const cjs = createRequire(import.meta.url)('./testing.js')

export const { Emulator, runtimeStarted, runtimeThreadName, _forceInternalError } = cjs
export default cjs
