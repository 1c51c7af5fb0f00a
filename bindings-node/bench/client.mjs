// One client process of the benchmark: imports its client, makes one untimed first request and
// 20 warm-up requests, then times the workload; prints one JSON line of figures.
//   node client.mjs <entra-invite|entra-invite-unpaced|graph-client|fetch> <workload> <n> <tag>
// workloads: seq (= seq-invite), conc (= conc-invite: n at 32 in flight), seq-lookup, seq-status
// (users of BENCH_FIXTURES, lines of `email id`), first (cold start: one invitation, then exit).
// Environment: BENCH_URL (https), BENCH_TOKEN, BENCH_CA (PEM file; graph-client and fetch read it
// through NODE_EXTRA_CA_CERTS, which the driver sets), BENCH_FIXTURES.
const tStart = process.hrtime.bigint()
import fs from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const [kind, workload, nArg, tag] = process.argv.slice(2)
const n = Number(nArg)
const url = process.env.BENCH_URL
const token = process.env.BENCH_TOKEN
const REDIRECT = 'https://myapps.microsoft.com/'
const SELECT = 'id,displayName,mail,userPrincipalName,userType,creationType,externalUserState,externalUserStateChangeDateTime,accountEnabled,otherMails,proxyAddresses,createdDateTime'
const body = (email) => ({ invitedUserEmailAddress: email, inviteRedirectUrl: REDIRECT, invitedUserDisplayName: 'Bench Guest', sendInvitationMessage: false })

const t0 = process.hrtime.bigint()
let invite, lookup, status
if (kind === 'entra-invite') {
  const { Client } = require('../index.js')
  const importNs = Number(process.hrtime.bigint() - t0)
  const client = new Client({ tenant: 'contoso.onmicrosoft.com', token, graphUrl: url, caCertPem: fs.readFileSync(process.env.BENCH_CA, 'utf8') })
  invite = async (email) => (await client.invite(body(email))).invitedUser.id
  lookup = async (email) => { if (!(await client.lookup(email)).exists) throw new Error('not found') }
  status = async (id) => { if (!(await client.status(id)).state) throw new Error('no state') }
  globalThis.importNs = importNs
} else if (kind === 'entra-invite-unpaced') {
  // The core paces POST /invitations (Graph's 150 per 5 s per tenant: a burst of 30, then 30/s);
  // those idle gaps make every call wake parked threads, which the CPU figure would count. The
  // other clients do not pace, so this row turns pacing off (invitationsPer5s: 0) to compare
  // like with like.
  const { Client } = require('../index.js')
  globalThis.importNs = Number(process.hrtime.bigint() - t0)
  const client = new Client({ tenant: 'contoso.onmicrosoft.com', token, graphUrl: url, caCertPem: fs.readFileSync(process.env.BENCH_CA, 'utf8'), invitationsPer5s: 0 })
  invite = async (email) => (await client.invite(body(email))).invitedUser.id
  lookup = async (email) => { if (!(await client.lookup(email)).exists) throw new Error('not found') }
  status = async (id) => { if (!(await client.status(id)).state) throw new Error('no state') }
} else if (kind === 'graph-client') {
  const { Client } = require('@microsoft/microsoft-graph-client')
  globalThis.importNs = Number(process.hrtime.bigint() - t0)
  const host = new URL(url).host
  const client = Client.init({ authProvider: (done) => done(null, token), baseUrl: `${url}/`, defaultVersion: 'v1.0', customHosts: new Set([host.split(':')[0]]) })
  invite = async (email) => (await client.api('/invitations').post(body(email))).invitedUser.id
  lookup = async (email) => {
    const r = await client.api('/users').filter(`mail eq '${email}'`).select(SELECT).get()
    if (!r.value[0].id) throw new Error('not found')
  }
  status = async (id) => {
    const u = await client.api(`/users/${id}`).select(SELECT).get()
    if (!u.externalUserState) throw new Error('no state')
  }
} else if (kind === 'fetch') {
  globalThis.importNs = 0
  invite = async (email) => {
    const r = await fetch(`${url}/v1.0/invitations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body(email)),
    })
    if (r.status !== 201) throw new Error(`HTTP ${r.status}: ${await r.text()}`)
    return (await r.json()).invitedUser.id
  }
  const get = async (pathAndQuery) => {
    const r = await fetch(`${url}/v1.0${pathAndQuery}`, { headers: { authorization: `Bearer ${token}` } })
    if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${await r.text()}`)
    return r.json()
  }
  lookup = async (email) => {
    const q = new URLSearchParams({ $filter: `mail eq '${email}'`, $select: SELECT })
    if (!(await get(`/users?${q}`)).value[0].id) throw new Error('not found')
  }
  status = async (id) => {
    if (!(await get(`/users/${id}?$select=${SELECT}`)).externalUserState) throw new Error('no state')
  }
} else {
  throw new Error(`unknown client ${kind}`)
}

const f0 = process.hrtime.bigint()
await invite(`${tag}-first@fabrikam.com`)
const firstNs = Number(process.hrtime.bigint() - f0)
const startToFirstMs = Number(process.hrtime.bigint() - tStart) / 1e6
if (workload === 'first') {
  console.log(JSON.stringify({ kind, workload, firstRequestMs: firstNs / 1e6, startToFirstMs, requireMs: globalThis.importNs / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 }))
  process.exit(0)
}
const fixtures = workload === 'seq-lookup' || workload === 'seq-status'
  ? fs.readFileSync(process.env.BENCH_FIXTURES, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' '))
  : []
const op = workload === 'seq-lookup' ? (i) => lookup(fixtures[i % fixtures.length][0])
  : workload === 'seq-status' ? (i) => status(fixtures[i % fixtures.length][1])
  : (i) => invite(`${tag}-${i}@fabrikam.com`)
for (let i = 0; i < 20; i++) {
  if (workload.endsWith('lookup') || workload.endsWith('status')) await op(i)
  else await invite(`${tag}-warm${i}@fabrikam.com`)
}

const cpu0 = process.cpuUsage()
const w0 = process.hrtime.bigint()
if (workload !== 'conc' && workload !== 'conc-invite') {
  for (let i = 0; i < n; i++) await op(i)
} else {
  let next = 0
  const lane = async () => {
    while (next < n) await op(next++)
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
  startToFirstMs,
  requireMs: globalThis.importNs / 1e6,
  maxRssMB: process.resourceUsage().maxRSS / 1024,
}))
process.exit(0)
