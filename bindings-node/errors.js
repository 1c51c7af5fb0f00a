'use strict'
// One Error subclass per core error kind, named as in the Python package. Native errors arrive as
// "[Kind] message" + "\u001e" + JSON details (a rejected napi promise carries only a message).

const SEPARATOR = '\u001e'

class EntraInviteError extends Error {
  constructor(message, details = {}, options) {
    super(message, options)
    this.name = new.target.name
    /** The core's error kind: 'InvalidInput', 'Auth', 'Throttled', ... */
    this.kind = details.kind ?? 'Internal'
    /** Graph's (or the token endpoint's) error code, e.g. 'Request_ResourceNotFound'. */
    this.code = details.code ?? null
    /** HTTP status of the failing answer. */
    this.status = details.status ?? null
    this.requestId = details.requestId ?? null
    this.clientRequestId = details.clientRequestId ?? null
    /** The failing answer's Date header. */
    this.date = details.date ?? null
    /** True when the invitation may have been created although the call failed (a 5xx, a dropped
     * connection or an unreadable answer to the invitation request): look up before resending. */
    this.maybeApplied = details.maybeApplied ?? false
  }
}

class InvalidInputError extends EntraInviteError {
  constructor(message, details = {}, options) {
    super(message, { kind: 'InvalidInput', ...details }, options)
    /** The input field at fault, e.g. 'invitedUserEmailAddress'. */
    this.field = details.field ?? null
  }
}

class AuthError extends EntraInviteError {
  constructor(message, details = {}, options) {
    super(message, { kind: 'Auth', ...details }, options)
    /** The AADSTS number of a token-endpoint error (e.g. 7000215: wrong secret). */
    this.aadsts = details.aadsts ?? null
  }
}

class ThrottledError extends EntraInviteError {
  constructor(message, details = {}, options) {
    super(message, { kind: 'Throttled', ...details }, options)
    /** Seconds Graph asked to wait before retrying, or null. */
    this.retryAfter = details.retryAfter ?? null
  }
}

function simple(kind) {
  const name = `${kind}Error`
  // A named class per kind, so `err.name` and stack traces read well.
  const cls = {
    [name]: class extends EntraInviteError {
      constructor(message, details = {}, options) {
        super(message, { kind, ...details }, options)
      }
    },
  }[name]
  return cls
}

const PermissionDeniedError = simple('PermissionDenied')
const NotFoundError = simple('NotFound')
const AlreadyExistsError = simple('AlreadyExists')
const VerifiedDomainError = simple('VerifiedDomain')
const BlockedByPolicyError = simple('BlockedByPolicy')
const ServiceError = simple('Service')
const NetworkError = simple('Network')
const TimeoutError = simple('Timeout')
const ProtocolError = simple('Protocol')
const InternalError = simple('Internal')

const BY_KIND = {
  InvalidInput: InvalidInputError,
  Auth: AuthError,
  PermissionDenied: PermissionDeniedError,
  NotFound: NotFoundError,
  AlreadyExists: AlreadyExistsError,
  VerifiedDomain: VerifiedDomainError,
  BlockedByPolicy: BlockedByPolicyError,
  Throttled: ThrottledError,
  Service: ServiceError,
  Network: NetworkError,
  Timeout: TimeoutError,
  Protocol: ProtocolError,
  Internal: InternalError,
}

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
  if (e && NAPI_INPUT_CODES.has(e.code)) {
    return new InvalidInputError(text, {}, { cause: e })
  }
  return new InternalError(text, {}, { cause: e })
}

function rethrow(e) {
  throw toError(e)
}

function invalid(field, message) {
  return new InvalidInputError(`${field}: ${message}`, { field })
}

module.exports = {
  EntraInviteError,
  InvalidInputError,
  AuthError,
  PermissionDeniedError,
  NotFoundError,
  AlreadyExistsError,
  VerifiedDomainError,
  BlockedByPolicyError,
  ThrottledError,
  ServiceError,
  NetworkError,
  TimeoutError,
  ProtocolError,
  InternalError,
  errorClasses: BY_KIND,
  toError,
  rethrow,
  invalid,
}
