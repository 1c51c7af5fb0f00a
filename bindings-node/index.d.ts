// Declarations of what index.js adds to the addon: the Client with AbortSignal options, async
// iteration, and the Error classes. The data types are generated from the Rust (native.d.ts, by
// napi from core's models); this file re-exports them and derives the input shapes from them.

import type {
  BulkOptions as NativeBulkOptions,
  BulkResult,
  BulkSummary,
  ClientOptions,
  ErrorDetails,
  ErrorKind,
  ExternalUserState,
  GuestStatus,
  Invitation,
  InvitationRequest as NativeInvitationRequest,
  InviteOutcome,
  Lookup,
} from './native'

export type {
  BulkOutcome,
  BulkResult,
  BulkSummary,
  CcRecipient,
  ClientOptions,
  EmailAddress,
  ErrorDetails,
  ErrorKind,
  ExternalUserState,
  GuestStatus,
  Invitation,
  InvitedUser,
  InvitedUserMessageInfo,
  InviteOutcome,
  Lookup,
  ObjectIdentity,
  Recipient,
  TokenAnswer,
  User,
  UserType,
} from './native'

/** An invitation to send: the email and the redirect URL are required, the rest have defaults. */
export type InvitationRequest = Pick<NativeInvitationRequest, 'invitedUserEmailAddress' | 'inviteRedirectUrl'> &
  Partial<NativeInvitationRequest>

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call: the promise rejects with `signal.reason` and the work is dropped. */
  signal?: AbortSignal
}

/** A bulk run's options (each has a default), in milliseconds for `settleTimeout`. */
export type BulkOptions = Partial<NativeBulkOptions> & CallOptions

export interface GuestsOptions extends CallOptions {
  /** Only guests in this state. */
  state?: ExternalUserState | null
  /** Guests per Graph request, 1 to 999 (the default). */
  pageSize?: number | null
}

/** The tenant's guests, fetched page by page as you iterate. */
export declare class GuestList implements AsyncIterable<GuestStatus> {
  private constructor()
  /** Graph's count of every matching guest, known once the first page has arrived. */
  readonly total: number | null
  pages(): AsyncGenerator<GuestStatus[], void, undefined>
  [Symbol.asyncIterator](): AsyncGenerator<GuestStatus, void, undefined>
  toArray(): Promise<GuestStatus[]>
}

/** A bulk run; iterate it to get each row's result as it finishes. */
export declare class BulkRun implements AsyncIterable<BulkResult> {
  private constructor()
  [Symbol.asyncIterator](): AsyncGenerator<BulkResult, void, undefined>
  summary(): Promise<BulkSummary>
  finish(): Promise<BulkSummary>
}

export declare class Client {
  constructor(options?: ClientOptions)
  /** From AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH,
   * AZURE_CLIENT_CERTIFICATE_PASSWORD, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST,
   * ENTRA_INVITE_GRAPH_URL and ENTRA_INVITE_CA_CERT. */
  static fromEnv(): Client
  readonly tenant: string
  readonly graphUrl: string
  invite(request: InvitationRequest, options?: CallOptions): Promise<Invitation>
  lookup(email: string, options?: CallOptions): Promise<Lookup>
  inviteIfAbsent(request: InvitationRequest, options?: CallOptions): Promise<InviteOutcome>
  /** By email or user object id. */
  status(emailOrUserId: string, options?: CallOptions): Promise<GuestStatus>
  guests(options?: GuestsOptions): GuestList
  resetRedemption(userId: string, request: InvitationRequest, options?: CallOptions): Promise<Invitation>
  /** Invites every row of a bulk-invite CSV (the admin center's template or a plain CSV). */
  bulkInvite(path: string, options?: BulkOptions): BulkRun
}

/** Every error of this package; its properties are the core's ErrorDetails. */
export declare class EntraInviteError extends Error implements Readonly<Omit<ErrorDetails, 'message'>> {
  constructor(message: string, details?: Partial<ErrorDetails>, options?: ErrorOptions)
  readonly kind: ErrorKind
  readonly field: string | null
  readonly status: number | null
  readonly code: string | null
  readonly requestId: string | null
  readonly clientRequestId: string | null
  readonly date: string | null
  /** Milliseconds Graph asked to wait before retrying (throttling). */
  readonly retryAfter: number | null
  readonly aadsts: number | null
  /** The invitation may have been created although the call failed (a 5xx, a dropped connection or
   * an unreadable answer to the invitation request): look the user up before sending it again. */
  readonly maybeApplied: boolean
}
/** Refused before sending (or rejected by Graph as a bad request); `field` names the culprit. */
export declare class InvalidInputError extends EntraInviteError {}
/** The credential was refused (token endpoint, `aadsts`) or a token rejected. */
export declare class AuthError extends EntraInviteError {}
export declare class PermissionDeniedError extends EntraInviteError {}
export declare class NotFoundError extends EntraInviteError {}
/** The invitee exists in the tenant as an internal member. */
export declare class AlreadyExistsError extends EntraInviteError {}
/** The invitee's domain is verified in the tenant: invite them as members instead. */
export declare class VerifiedDomainError extends EntraInviteError {}
export declare class BlockedByPolicyError extends EntraInviteError {}
/** Graph kept answering 429; come back after `retryAfter` milliseconds. */
export declare class ThrottledError extends EntraInviteError {}
export declare class ServiceError extends EntraInviteError {}
export declare class NetworkError extends EntraInviteError {}
export declare class TimeoutError extends EntraInviteError {}
export declare class ProtocolError extends EntraInviteError {}
/** A bug in this package; please report it. */
export declare class InternalError extends EntraInviteError {}
