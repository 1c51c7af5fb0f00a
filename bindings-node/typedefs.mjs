// Writes native.d.ts, the addon's TypeScript declarations, generated from the Rust (core's models
// and this crate) by @napi-rs/cli's own generator, from what the napi macros wrote while cargo
// built with NAPI_TYPE_DEF_TMP_FOLDER=<dir> set (run-tests.sh). `--check` compares instead, so
// CI fails when the committed file is not what the Rust declares.
//   node typedefs.mjs <dir> [--check]
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateTypeDef } from '@napi-rs/cli'

const here = path.dirname(fileURLToPath(import.meta.url))
const [dir, flag] = process.argv.slice(2)
// Only the main addon's crates: the testing addon writes its declarations to the same folder.
const only = fs.mkdtempSync(path.join(os.tmpdir(), 'entra-invite-dts-'))
for (const crate of ['entra-invite', 'entra-invite-node']) {
  fs.copyFileSync(path.join(dir, crate), path.join(only, crate))
}
const { dts } = await generateTypeDef({ typeDefDir: only, cwd: here, constEnum: false })
fs.rmSync(only, { recursive: true, force: true })
const file = path.join(here, 'native.d.ts')
if (flag === '--check') {
  if (fs.readFileSync(file, 'utf8') !== dts) {
    console.error('native.d.ts differs from what the Rust declares: run `node typedefs.mjs <dir>` and commit it')
    process.exit(1)
  }
} else {
  fs.writeFileSync(file, dts)
}
