// ESM entry: the same objects as the CommonJS one (loaded through `require`, so a failure to load
// — the main package missing or of another version — is one clear error).
import { createRequire } from 'node:module'

const cjs = createRequire(import.meta.url)('./index.js')

export const { Emulator, runtimeStarted, runtimeThreadName, _forceInternalError } = cjs
export default cjs
