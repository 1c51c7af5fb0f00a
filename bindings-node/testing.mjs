import cjs from './testing.js'

export const { Emulator, runtimeStarted, runtimeThreadName } = cjs
export default cjs
