'use strict'
// entra-invite for Node: a Promise API over the Rust core. Every call runs on the core's runtime
// (threads named `entra-invite-rt`); this file only adapts arguments, errors, AbortSignal and
// async iteration.

const native = require('./binding.js')
const errors = require('./errors.js')

const { toError, rethrow, invalid } = errors
const FROM_ENV = Symbol('fromEnv')

/** `v`, checked to be an object; a property set to `undefined` counts as absent (its default). */
function requireObject(v, field) {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid(field, 'must be an object')
  for (const k in v) {
    if (v[k] === undefined) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined))
  }
  return v
}

function requireString(v, field) {
  if (typeof v !== 'string') throw invalid(field, 'must be a string')
  return v
}

function signalOf(opts) {
  if (opts === undefined || opts === null) return null
  requireObject(opts, 'options')
  const s = opts.signal
  if (s === undefined || s === null) return null
  if (typeof s.aborted !== 'boolean' || typeof s.addEventListener !== 'function') {
    throw invalid('signal', 'must be an AbortSignal')
  }
  return s
}

/** Runs `start(cancel)` (a native promise), mapping errors and honouring an AbortSignal. */
function run(opts, start) {
  let signal
  try {
    signal = signalOf(opts)
    if (signal === null) return start(null).then(undefined, rethrow)
  } catch (e) {
    return Promise.reject(toError(e))
  }
  if (signal.aborted) return Promise.reject(signal.reason)
  const cancel = new native.Cancel()
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      cancel.cancel()
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    let p
    try {
      p = start(cancel)
    } catch (e) {
      signal.removeEventListener('abort', onAbort)
      reject(toError(e))
      return
    }
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort)
        resolve(v)
      },
      (e) => {
        signal.removeEventListener('abort', onAbort)
        reject(toError(e))
      },
    )
  })
}

function tokenAnswer(t) {
  if (typeof t === 'string') return { token: t }
  if (t && typeof t === 'object' && typeof t.token === 'string') {
    const exp = t.expiresOnTimestamp
    return { token: t.token, expiresOnTimestamp: typeof exp === 'number' ? exp : undefined }
  }
  throw new TypeError('tokenProvider must return a string or { token, expiresOnTimestamp }')
}

/** The user's provider, made to always return a promise (never throw) of { token, ... }. */
function providerOf(fn) {
  if (fn === undefined || fn === null) return null
  if (typeof fn !== 'function') throw invalid('tokenProvider', 'must be a function')
  return () => Promise.resolve().then(() => fn()).then(tokenAnswer)
}

/** The guests of a tenant, fetched lazily page by page: `for await (const g of list)`. */
class GuestList {
  #client
  #state
  #pageSize
  #signal
  constructor(client, state, pageSize, signal) {
    this.#client = client
    this.#state = state
    this.#pageSize = pageSize
    this.#signal = signal
    /** Graph's count of every matching guest, known once the first page has arrived. */
    this.total = null
  }

  /** Each page (an array of guest statuses), one Graph request per page. */
  async *pages() {
    const opts = { signal: this.#signal }
    const pager = await run(opts, () =>
      Promise.resolve(this.#client.guests(this.#state ?? null, this.#pageSize ?? null)),
    )
    for (;;) {
      const page = await run(opts, (cancel) => pager.nextPage(cancel))
      if (page === null) return
      if (this.total === null) this.total = page.total
      yield page.value
    }
  }

  async *[Symbol.asyncIterator]() {
    for await (const page of this.pages()) yield* page
  }

  /** Every guest in one array. */
  async toArray() {
    const all = []
    for await (const page of this.pages()) all.push(...page)
    return all
  }
}

/** A bulk run: `for await (const r of run)` yields each row's result as it finishes. */
class BulkRun {
  #pager
  #signal
  constructor(pager, signal) {
    this.#pager = pager
    this.#signal = signal
  }

  async *[Symbol.asyncIterator]() {
    const opts = { signal: this.#signal }
    for (;;) {
      const r = await run(opts, (cancel) => this.#pager.next(cancel))
      if (r === null) return
      yield r
    }
  }

  /** Counts so far: `{ invited, existing, failed, invalid, valid, resumed, added, fixed, removed, inputChanged }`. */
  summary() {
    return this.#pager.summary().then(undefined, rethrow)
  }

  /** Runs to the end and resolves with the final counts. */
  async finish() {
    for await (const _ of this) {
      // every row is already written to the results file
    }
    return this.summary()
  }
}

class Client {
  #native

  /**
   * @param {import('./index').ClientOptions} [options]
   */
  constructor(options = {}) {
    if (options === FROM_ENV) {
      try {
        this.#native = native.NativeClient.fromEnv()
      } catch (e) {
        throw toError(e)
      }
      return
    }
    try {
      const { tokenProvider, ...rest } = requireObject(options ?? {}, 'options')
      this.#native = new native.NativeClient(requireObject(rest, 'options'), providerOf(tokenProvider))
    } catch (e) {
      throw toError(e)
    }
  }

  /** A client configured from the azure-identity environment variables. */
  static fromEnv() {
    return new Client(FROM_ENV)
  }

  /** The tenant this client works in. */
  get tenant() {
    return this.#native.tenant
  }

  /** The Graph base URL in use. */
  get graphUrl() {
    return this.#native.graphUrl
  }

  /** Sends an invitation; resolves to Graph's invitation object. */
  invite(request, opts) {
    return run(opts, (c) => this.#native.invite(requireObject(request, 'invitation'), c))
  }

  /** Whether `email` already has a user: `{ exists, user, verifiedDomain }`. */
  lookup(email, opts) {
    return run(opts, (c) => this.#native.lookup(requireString(email, 'email'), c))
  }

  /** Invites unless the address already has a user: `{ invited, invitation, user }`. */
  inviteIfAbsent(request, opts) {
    return run(opts, (c) =>
      this.#native.inviteIfAbsent(requireObject(request, 'invitation'), c),
    )
  }

  /** A guest's acceptance state, by email or user id: `{ userId, state, changedAt, ... }`. */
  status(user, opts) {
    return run(opts, (c) => this.#native.status(requireString(user, 'user'), c))
  }

  /** The tenant's guests (optionally only those in `state`), as an async iterable. */
  guests(opts = {}) {
    const o = opts ?? {}
    requireObject(o, 'options')
    return new GuestList(this.#native, o.state, o.pageSize, o.signal)
  }

  /** Invites every row of a bulk-invite CSV (the admin center's template or a plain CSV). */
  bulkInvite(path, opts = {}) {
    const o = opts ?? {}
    requireObject(o, 'options')
    const { signal, ...rest } = o
    try {
      return new BulkRun(this.#native.bulkInvite(requireString(path, 'path'), requireObject(rest, 'options')), signal)
    } catch (e) {
      throw toError(e)
    }
  }

  /** Resets a guest's redemption so they redeem again (optionally with a new email). */
  resetRedemption(user, request, opts) {
    return run(opts, (c) =>
      this.#native.resetRedemption(
        requireString(user, 'user'),
        requireObject(request, 'invitation'),
        c,
      ),
    )
  }
}

module.exports = {
  Client,
  GuestList,
  BulkRun,
  EntraInviteError: errors.EntraInviteError,
  InvalidInputError: errors.InvalidInputError,
  AuthError: errors.AuthError,
  PermissionDeniedError: errors.PermissionDeniedError,
  NotFoundError: errors.NotFoundError,
  AlreadyExistsError: errors.AlreadyExistsError,
  VerifiedDomainError: errors.VerifiedDomainError,
  BlockedByPolicyError: errors.BlockedByPolicyError,
  ThrottledError: errors.ThrottledError,
  ServiceError: errors.ServiceError,
  NetworkError: errors.NetworkError,
  TimeoutError: errors.TimeoutError,
  ProtocolError: errors.ProtocolError,
  InternalError: errors.InternalError,
}
