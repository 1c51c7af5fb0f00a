import cjs from './testing.js'

export const { Emulator, runtimeStarted, runtimeThreadName, _forceInternalError } = cjs
export default cjs
