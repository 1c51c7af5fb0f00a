'use strict'
// entra-invite-testing (also reachable as `entra-invite/testing`): an in-process Graph emulator
// (the core's) for your own tests. Clients come from the main package, `entra-invite`, of the
// same version; the emulator runs in this package's own addon.
//
//   const { Emulator } = require('entra-invite-testing')
//   const emu = await Emulator.start()
//   const client = emu.client()
//   ...
//   await emu.stop()

const { Client } = require('entra-invite')
const main = require('entra-invite/internal')
const native = require('./binding.js')
const { rethrow, toError } = main.errors

const CREDENTIALS = ['clientSecret', 'certificatePath', 'federatedTokenFile', 'token', 'tokenProvider']

class Emulator {
  #n

  /** @private use `Emulator.start()` */
  constructor(n) {
    this.#n = n
  }

  /** Starts an emulator on a free loopback port (`{ https: true }` for TLS with a fresh certificate). */
  static async start(options = {}) {
    const n = await native.startEmulator(Boolean(options && options.https)).then(undefined, rethrow)
    return new Emulator(n)
  }

  /** Base URL (`http://127.0.0.1:PORT`): pass it as `graphUrl`. */
  get url() {
    return this.#n.url
  }
  get tenant() {
    return this.#n.tenant
  }
  /** The default app (roles User.Invite.All, User.Read.All, User.ReadWrite.All). */
  get clientId() {
    return this.#n.clientId
  }
  get clientSecret() {
    return this.#n.clientSecret
  }
  /** An app with only User.Read.All. */
  get readonlyClientId() {
    return this.#n.readonlyClientId
  }
  get readonlyClientSecret() {
    return this.#n.readonlyClientSecret
  }
  /** The self-signed certificate to trust (PEM), when started with https; else null. */
  get caCertPem() {
    return this.#n.caCertPem
  }

  /** Options for a `Client` of the default app against this emulator. */
  clientOptions(overrides = {}) {
    const base = { tenant: this.tenant, clientId: this.clientId, clientSecret: this.clientSecret, graphUrl: this.url }
    if (this.caCertPem) base.caCertPem = this.caCertPem
    if (CREDENTIALS.some((k) => overrides[k] !== undefined)) delete base.clientSecret
    return { ...base, ...overrides }
  }

  /** A `Client` of the default app against this emulator; `overrides` win. */
  client(overrides = {}) {
    return new Client(this.clientOptions(overrides))
  }

  /** Any control-API call: `method` `/_emulator/{path}` with an optional JSON body. */
  control(method, path, body) {
    return wrap(() => this.#n.control(method, path, body ?? null))
  }
  /** The guest accepts their invitation (by email or user id); resolves to the user. */
  redeem(emailOrId) {
    return wrap(() => this.#n.redeem(emailOrId))
  }
  /** Invitation emails "sent" so far. */
  outbox() {
    return wrap(() => this.#n.outbox())
  }
  /** Replaces the active faults (throttling, scripted errors, latency...; see CONTROL_API.md). */
  setFaults(faults) {
    return wrap(() => this.#n.setFaults(faults ?? {}))
  }
  /** Request counters: `{ requests, invitationsCreated, earlyRetries, tokenRequests, totalRequests }`. */
  stats() {
    return wrap(() => this.#n.stats())
  }
  /** Seeds a user (Graph user properties); resolves to the created user. */
  addUser(user) {
    return wrap(() => this.#n.addUser(user))
  }
  /** Adds a domain to the tenant: `{ id: 'fabrikam.com', isVerified: true }`. */
  addDomain(domain) {
    return wrap(() => this.#n.control('POST', 'domains', domain))
  }
  /** A static access token for the default app (or `{ clientId, roles, expiresInSecs }`). */
  async issueToken(options = {}) {
    const r = await this.control('POST', 'tokens', options)
    return r.access_token
  }
  /** Back to the initial state (users, counters, outbox, faults). */
  reset() {
    return wrap(() => this.#n.reset())
  }
  /** Stops the server; idempotent. */
  stop() {
    return wrap(() => this.#n.stop())
  }
}

function wrap(start) {
  try {
    return start().then(undefined, rethrow)
  } catch (e) {
    return Promise.reject(toError(e))
  }
}

module.exports = {
  Emulator,
  /** Whether the core runtime has started in this process (loading the package starts nothing). */
  runtimeStarted: () => main.native.runtimeStarted(),
  /** The name of the thread an async call runs on (`entra-invite-rt`). */
  runtimeThreadName: () => main.native.runtimeThreadName(),
  /** @private For this package's tests: a call whose core task panics; rejects with InternalError. */
  _forceInternalError: () => wrap(() => main.native._forceInternalError()),
}
