// Benchmark (not a test): entra-invite next to @microsoft/microsoft-graph-client and raw fetch,
// each in its own process, on the same emulator over HTTPS (graph-client sends its token only
// over https). Reports require() time, client CPU per invitation (user+sys of the whole client
// process, every thread included), wall time, first request, peak RSS and installed size.
//
//   cd bindings-node/bench && npm ci && node node-bench.mjs [--runs 3] [--seq 300] [--conc 600]
//
// The addon is whatever ../entra-invite.<platform>.node holds (run-tests.sh builds a debug one;
// `npm run build` in bindings-node a release one). Runs are interleaved round-robin.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const run = promisify(execFile)
const here = path.dirname(fileURLToPath(import.meta.url))
const pkgDir = path.resolve(here, '..')
const require = createRequire(import.meta.url)
const { Emulator } = require('../testing.js')

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : def
}
const RUNS = arg('runs', 3)
const SEQ = arg('seq', 300)
const CONC = arg('conc', 600)
const CLIENTS = ['entra-invite', 'entra-invite-unpaced', 'graph-client', 'fetch']

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const fmt = (xs, digits = 0) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`

function dirSize(p) {
  const st = fs.statSync(p)
  if (!st.isDirectory()) return st.size
  return fs.readdirSync(p).reduce((n, f) => n + dirSize(path.join(p, f)), 0)
}

async function requireTimes(target, times = 7) {
  const out = []
  for (let i = 0; i < times; i++) {
    const code = `const t=process.hrtime.bigint();require(${JSON.stringify(target)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`
    const { stdout } = await run(process.execPath, ['-e', code], { cwd: here })
    out.push(Number(stdout))
  }
  return out
}

const emu = await Emulator.start({ https: true })
const caFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'entra-invite-bench-')), 'ca.pem')
fs.writeFileSync(caFile, emu.caCertPem)

const addon = fs.readdirSync(pkgDir).find((f) => f.endsWith('.node'))
const addonSize = fs.statSync(path.join(pkgDir, addon)).size
const pkgFiles = ['index.js', 'index.mjs', 'index.d.ts', 'errors.js', 'binding.js', 'testing.js', 'testing.mjs', 'testing.d.ts', addon]
const entraSize = pkgFiles.reduce((n, f) => n + fs.statSync(path.join(pkgDir, f)).size, 0)
const nm = path.join(here, 'node_modules')
const graphSize = fs.readdirSync(nm).filter((d) => !d.startsWith('.')).reduce((n, d) => n + dirSize(path.join(nm, d)), 0)

console.error(`addon ${addon}: ${(addonSize / 1e6).toFixed(1)} MB; emulator ${emu.url}; ${RUNS} runs x (seq ${SEQ}, conc ${CONC}@32)`)
const requireMs = {
  'entra-invite': await requireTimes(path.join(pkgDir, 'index.js')),
  'entra-invite-unpaced': [],
  'graph-client': await requireTimes('@microsoft/microsoft-graph-client'),
  fetch: [0],
}

const results = []
for (let r = 0; r < RUNS; r++) {
  for (const workload of ['seq', 'conc']) {
    for (const kind of CLIENTS) {
      await emu.reset()
      const token = await emu.issueToken()
      const n = workload === 'seq' ? SEQ : CONC
      const { stdout } = await run(process.execPath, [path.join(here, 'client.mjs'), kind, workload, String(n), `r${r}${workload}`], {
        cwd: here,
        env: { ...process.env, BENCH_URL: emu.url, BENCH_TOKEN: token, BENCH_CA: caFile, NODE_EXTRA_CA_CERTS: caFile },
        maxBuffer: 1 << 20,
      })
      const res = JSON.parse(stdout.trim().split('\n').pop())
      const created = (await emu.stats()).invitationsCreated
      if (created < n + 21) throw new Error(`${kind} ${workload}: ${created} invitations created, expected ${n + 21}`)
      results.push(res)
      console.error(`run ${r + 1} ${workload} ${kind}: ${res.cpuUsPerReq.toFixed(0)} µs CPU/req, ${res.wallUsPerReq.toFixed(0)} µs wall/req`)
    }
  }
}
await emu.stop()

const pick = (kind, workload, key) => results.filter((x) => x.kind === kind && x.workload === workload).map((x) => x[key])
const lines = []
lines.push(`Node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0].model}), ${new Date().toISOString()}; addon ${addon} ${(addonSize / 1e6).toFixed(1)} MB`)
lines.push(`median (min–max) of ${RUNS} runs; seq = ${SEQ} sequential invitations, conc = ${CONC} at 32 in flight; emulator over HTTPS, static bearer token`)
lines.push('')
lines.push('| client | require ms | seq CPU µs/inv | seq wall µs/inv | conc CPU µs/inv | conc wall µs/inv | first request ms | peak RSS MB | installed |')
lines.push('|---|---|---|---|---|---|---|---|---|')
for (const kind of CLIENTS) {
  const size = kind.startsWith('entra-invite') ? entraSize : kind === 'graph-client' ? graphSize : 0
  lines.push(`| ${kind} | ${requireMs[kind].length ? fmt(requireMs[kind], 1) : '(same)'} | ${fmt(pick(kind, 'seq', 'cpuUsPerReq'))} | ${fmt(pick(kind, 'seq', 'wallUsPerReq'))} | ${fmt(pick(kind, 'conc', 'cpuUsPerReq'))} | ${fmt(pick(kind, 'conc', 'wallUsPerReq'))} | ${fmt(pick(kind, 'seq', 'firstRequestMs'), 1)} | ${fmt(pick(kind, 'seq', 'maxRssMB'))} | ${(size / 1e6).toFixed(1)} MB |`)
}
const ratio = (a, b, w) => (median(pick(a, w, 'cpuUsPerReq')) / median(pick(b, w, 'cpuUsPerReq'))).toFixed(2)
lines.push('')
for (const ours of ['entra-invite', 'entra-invite-unpaced']) {
  lines.push(`CPU per invitation, ${ours} / graph-client: seq ${ratio(ours, 'graph-client', 'seq')}, conc ${ratio(ours, 'graph-client', 'conc')} (goal < 0.20)`)
  lines.push(`CPU per invitation, ${ours} / raw fetch:    seq ${ratio(ours, 'fetch', 'seq')}, conc ${ratio(ours, 'fetch', 'conc')} (goal < 1)`)
}
lines.push('entra-invite paces POST /invitations per tenant by default (burst 30, then 30/s, Graph\'s limit), so its wall time is that pacing; entra-invite-unpaced is the same client with invitationsPer5s: 0, like the other clients, which do not pace.')
console.log(lines.join('\n'))
fs.writeFileSync(path.join(here, 'last-run.json'), JSON.stringify({ requireMs, entraSize, graphSize, addonSize, results }, null, 2))
