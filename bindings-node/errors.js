'use strict'
// One Error subclass per core error kind, named as in the Python package. Every error carries the
// core's ErrorDetails as properties (kind, field, status, code, requestId, clientRequestId, date,
// retryAfter in ms, aadsts, maybeApplied). A rejected napi promise carries only a message, so the
// native side sends "[Kind] message" + "\u001e" + the details as JSON (core/src/bindings/napi.rs).

const SEPARATOR = '\u001e'

class EntraInviteError extends Error {
  constructor(message, details = {}, options) {
    super(message, options)
    this.name = new.target.name
    const d = details ?? {}
    /** The core's error kind: 'InvalidInput', 'Auth', 'Throttled', ... */
    this.kind = d.kind ?? new.target.kind ?? 'Internal'
    /** For InvalidInput: the input field at fault, e.g. 'invitedUserEmailAddress'. */
    this.field = d.field ?? null
    /** HTTP status of the failing answer. */
    this.status = d.status ?? null
    /** Graph's (or the token endpoint's) error code, e.g. 'Request_ResourceNotFound'. */
    this.code = d.code ?? null
    this.requestId = d.requestId ?? null
    this.clientRequestId = d.clientRequestId ?? null
    /** The failing answer's Date header. */
    this.date = d.date ?? null
    /** Milliseconds Graph asked to wait before retrying (throttling), or null. */
    this.retryAfter = d.retryAfter ?? null
    /** The AADSTS number of a token-endpoint error (e.g. 7000215: wrong secret). */
    this.aadsts = d.aadsts ?? null
    /** True when the invitation may have been created although the call failed (a 5xx, a dropped
     * connection or an unreadable answer to the invitation request): look up before resending. */
    this.maybeApplied = d.maybeApplied ?? false
  }
}

/** A named class per kind, so `err.name` and stack traces read well. */
function subclass(kind) {
  const name = `${kind}Error`
  const cls = { [name]: class extends EntraInviteError {} }[name]
  cls.kind = kind
  return cls
}

const KINDS = [
  'InvalidInput', 'Auth', 'PermissionDenied', 'NotFound', 'AlreadyExists', 'VerifiedDomain',
  'BlockedByPolicy', 'Throttled', 'Service', 'Network', 'Timeout', 'Protocol', 'Internal',
]
const BY_KIND = Object.fromEntries(KINDS.map((k) => [k, subclass(k)]))

// napi's own argument-conversion failures (a value of the wrong type).
const NAPI_INPUT_CODES = new Set([
  'InvalidArg', 'ObjectExpected', 'StringExpected', 'NameExpected', 'FunctionExpected',
  'NumberExpected', 'BooleanExpected', 'ArrayExpected', 'BigintExpected',
])

/** The EntraInviteError for anything the native layer threw or rejected with. */
function toError(e) {
  if (e instanceof EntraInviteError) return e
  const text = e && typeof e.message === 'string' ? e.message : String(e)
  const at = text.lastIndexOf(SEPARATOR)
  if (at >= 0) {
    let details
    try {
      details = JSON.parse(text.slice(at + 1))
    } catch {
      details = null
    }
    if (details && typeof details.kind === 'string') {
      const Cls = BY_KIND[details.kind] ?? EntraInviteError
      return new Cls(typeof details.message === 'string' ? details.message : text.slice(0, at), details)
    }
  }
  if (e && NAPI_INPUT_CODES.has(e.code)) return new BY_KIND.InvalidInput(text, {}, { cause: e })
  return new BY_KIND.Internal(text, {}, { cause: e })
}

function rethrow(e) {
  throw toError(e)
}

function invalid(field, message) {
  return new BY_KIND.InvalidInput(`${field}: ${message}`, { field })
}

module.exports = {
  EntraInviteError,
  ...Object.fromEntries(KINDS.map((k) => [`${k}Error`, BY_KIND[k]])),
  errorClasses: BY_KIND,
  toError,
  rethrow,
  invalid,
}
