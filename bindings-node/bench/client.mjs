// One client process of the benchmark: imports its client, makes one untimed first request and
// 20 warm-up requests, then times the workload; prints one JSON line of figures.
//   node client.mjs <entra-invite|graph-client|fetch> <seq|conc> <n> <tag>
// Environment: BENCH_URL (https), BENCH_TOKEN, BENCH_CA (PEM file; graph-client and fetch read it
// through NODE_EXTRA_CA_CERTS, which the driver sets).
import fs from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const [kind, workload, nArg, tag] = process.argv.slice(2)
const n = Number(nArg)
const url = process.env.BENCH_URL
const token = process.env.BENCH_TOKEN
const REDIRECT = 'https://myapps.microsoft.com/'
const body = (email) => ({ invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT, invitedUserDisplayName: 'Bench Guest', sendInvitationMessage: false })

const t0 = process.hrtime.bigint()
let invite
if (kind === 'entra-invite') {
  const { Client } = require('../index.js')
  const importNs = Number(process.hrtime.bigint() - t0)
  const client = new Client({ tenant: 'contoso.onmicrosoft.com', token, graphUrl: url, caCertPem: fs.readFileSync(process.env.BENCH_CA, 'utf8') })
  invite = async (email) => (await client.invite(body(email))).id
  globalThis.importNs = importNs
} else if (kind === 'entra-invite-unpaced') {
  // The core paces POST /invitations (Graph's 150 per 5 s per tenant: a burst of 30, then 30/s);
  // those idle gaps make every call wake parked threads, which the CPU figure would count. The
  // other clients do not pace, so this row turns pacing off (invitationsPer5s: 0) to compare
  // like with like.
  const { Client } = require('../index.js')
  globalThis.importNs = Number(process.hrtime.bigint() - t0)
  const client = new Client({ tenant: 'contoso.onmicrosoft.com', token, graphUrl: url, caCertPem: fs.readFileSync(process.env.BENCH_CA, 'utf8'), invitationsPer5s: 0 })
  invite = async (email) => (await client.invite(body(email))).id
} else if (kind === 'graph-client') {
  const { Client } = require('@microsoft/microsoft-graph-client')
  globalThis.importNs = Number(process.hrtime.bigint() - t0)
  const host = new URL(url).host
  const client = Client.init({ authProvider: (done) => done(null, token), baseUrl: `${url}/`, defaultVersion: 'v1.0', customHosts: new Set([host.split(':')[0]]) })
  invite = async (email) => (await client.api('/invitations').post(body(email))).id
} else if (kind === 'fetch') {
  globalThis.importNs = 0
  invite = async (email) => {
    const r = await fetch(`${url}/v1.0/invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body(email)),
    })
    if (r.status !== 201) throw new Error(`HTTP ${r.status}: ${await r.text()}`)
    return (await r.json()).id
  }
} else {
  throw new Error(`unknown client ${kind}`)
}

const f0 = process.hrtime.bigint()
await invite(`${tag}-first@fabrikam.com`)
const firstNs = Number(process.hrtime.bigint() - f0)
for (let i = 0; i < 20; i++) await invite(`${tag}-warm${i}@fabrikam.com`)

const cpu0 = process.cpuUsage()
const w0 = process.hrtime.bigint()
if (workload === 'seq') {
  for (let i = 0; i < n; i++) await invite(`${tag}-${i}@fabrikam.com`)
} else {
  let next = 0
  const lane = async () => {
    while (next < n) await invite(`${tag}-${next++}@fabrikam.com`)
  }
  await Promise.all(Array.from({ length: 32 }, lane))
}
const wallNs = Number(process.hrtime.bigint() - w0)
const cpu = process.cpuUsage(cpu0)
console.log(JSON.stringify({
  kind, workload, n,
  cpuUsPerReq: (cpu.user + cpu.system) / n,
  wallUsPerReq: wallNs / 1000 / n,
  firstRequestMs: firstNs / 1e6,
  requireMs: globalThis.importNs / 1e6,
  maxRssMB: process.resourceUsage().maxRSS / 1024,
}))
process.exit(0)
