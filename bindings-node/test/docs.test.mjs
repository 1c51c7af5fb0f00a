// The README's Node section and the TypeScript example are executed, not just shown.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const pkgDir = path.resolve(here, '..')
const require = createRequire(import.meta.url)

/** Runs ESM `source` from inside the package (so `entra-invite` resolves to it); returns stdout. */
function runModule(name, source) {
  const file = path.join(here, `.${name}.generated.mjs`)
  fs.writeFileSync(file, source)
  try {
    return execFileSync(process.execPath, [file], { cwd: pkgDir, encoding: 'utf8', timeout: 60_000 })
  } finally {
    fs.rmSync(file, { force: true })
  }
}

test("README's Node section runs", () => {
  const readme = fs.readFileSync(path.resolve(pkgDir, '../README.md'), 'utf8')
  const section = readme.split(/^## Node$/m)[1]
  assert.ok(section, 'README has a "## Node" section')
  const code = section.split(/^## /m)[0].match(/```js\n([\s\S]*?)```/)
  assert.ok(code, 'the Node section has a js block')
  const out = runModule('readme', code[1])
  assert.match(out, /https:\/\/login\.microsoftonline\.com\/redeem/)
  assert.match(out, /NotFound Request_ResourceNotFound 404|NotFound/)
  assert.match(out, /true false Accepted/)
})

test('the TypeScript example (examples/onboard.ts) runs', () => {
  const ts = require('typescript')
  const source = fs.readFileSync(path.join(pkgDir, 'examples/onboard.ts'), 'utf8')
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
  const out = runModule('onboard', js)
  assert.match(out, /reset: true/)
  assert.match(out, /not found: /)
})
