// Type declarations of `entra-invite` (hand-written: the public API is the JS layer over the addon).
// Names follow Microsoft Graph's JSON (camelCase); results are Graph's own JSON objects.

/** How the client proves who it is, where Graph is, and how patient it is. Give one credential. */
export interface ClientOptions {
  /** Tenant id or domain, e.g. 'contoso.onmicrosoft.com'. */
  tenant?: string
  /** The app (client) id; required with clientSecret, certificatePath and federatedTokenFile. */
  clientId?: string
  clientSecret?: string
  /** A PEM file with the certificate and its private key, or a PKCS#12 (.pfx) file. */
  certificatePath?: string
  certificatePassword?: string
  /** Workload identity federation: a file holding the federated assertion (re-read as it rotates). */
  federatedTokenFile?: string
  /** A Graph access token obtained elsewhere; used as is. */
  token?: string
  /** Supplies access tokens (e.g. a user's token: delegated "app + user" mode). */
  tokenProvider?: () => string | TokenAnswer | Promise<string | TokenAnswer>
  /** 'global' (default), 'usgovl4', 'usgovl5' or 'china'. */
  cloud?: 'global' | 'usgovl4' | 'usgovl5' | 'china' | (string & {})
  /** Graph's base URL, e.g. the emulator's; defaults to the cloud's. */
  graphUrl?: string
  /** The token authority, e.g. 'https://login.microsoftonline.com'; defaults to the cloud's. */
  authorityUrl?: string
  /** A PEM file with an extra CA certificate to trust. */
  caCert?: string
  /** An extra CA certificate to trust, as PEM text (wins over caCert). */
  caCertPem?: string
  /** Time limit per request, in milliseconds. */
  timeoutMs?: number
  /** Retries after 429/503/504 (and 500/502 on reads). */
  maxRetries?: number
  /** Client-side pace of invitations per 5 s (default 150, Graph's limit per tenant); 0 turns it off. */
  invitationsPer5s?: number
}

/** What a tokenProvider may resolve to (the shape of azure-identity's AccessToken). */
export interface TokenAnswer {
  token: string
  /** Expiry in milliseconds since the epoch; without it the token is kept until Graph rejects it. */
  expiresOnTimestamp?: number | null
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call: the promise rejects with `signal.reason` and the work is dropped. */
  signal?: AbortSignal
}

export interface EmailAddress {
  address?: string | null
  name?: string | null
}

export interface Recipient {
  emailAddress: EmailAddress
}

export interface InvitedUserMessageInfo {
  customizedMessageBody?: string | null
  /** e.g. 'en-US'. */
  messageLanguage?: string | null
  /** Graph honours one CC recipient; more are refused before sending. */
  ccRecipients?: Array<Recipient | string> | null
}

/** The invitation to send, in Graph's names. */
export interface InvitationRequest {
  invitedUserEmailAddress: string
  /** Where the guest lands after redeeming: an absolute https URL. */
  inviteRedirectUrl: string
  invitedUserDisplayName?: string | null
  /** Whether Graph emails the invitation (default false). */
  sendInvitationMessage?: boolean | null
  invitedUserType?: 'Guest' | 'Member' | null
  invitedUserMessageInfo?: InvitedUserMessageInfo | null
  /** Sponsors: user or group object ids. */
  invitedUserSponsors?: Array<{ id: string } | string> | null
}

/** The redemption request of resetRedemption: the (possibly new) email and the redirect URL. */
export type ResetRequest = InvitationRequest

/** Graph's invitation object, as Graph sent it (unknown properties kept). */
export interface Invitation {
  id: string | null
  invitedUserDisplayName: string | null
  invitedUserEmailAddress: string | null
  invitedUserMessageInfo: {
    customizedMessageBody: string | null
    messageLanguage: string | null
    ccRecipients: Recipient[]
  } | null
  invitedUserType: string | null
  /** The redemption link; Graph returns it only here. */
  inviteRedeemUrl: string | null
  inviteRedirectUrl: string | null
  resetRedemption: boolean | null
  sendInvitationMessage: boolean | null
  /** Graph's invitation status; a guest's acceptance is `status()`'s `state`. */
  status: string | null
  invitedUser: { id: string | null; userPrincipalName?: string; [property: string]: unknown } | null
  [property: string]: unknown
}

export interface ObjectIdentity {
  signInType?: string | null
  issuer?: string | null
  issuerAssignedId?: string | null
}

/** Graph's user object (the properties lookups select; unknown ones kept). */
export interface User {
  id: string
  displayName?: string
  mail?: string
  userPrincipalName?: string
  userType?: string
  creationType?: string
  externalUserState?: string
  externalUserStateChangeDateTime?: string
  accountEnabled?: boolean
  otherMails?: string[]
  proxyAddresses?: string[]
  identities?: ObjectIdentity[]
  createdDateTime?: string
  [property: string]: unknown
}

export interface LookupResult {
  exists: boolean
  user: User | null
  /** Set when the address is in one of the tenant's verified domains (Graph refuses to invite it). */
  verifiedDomain: string | null
}

export interface InviteIfAbsentResult {
  invited: boolean
  invitation: Invitation | null
  /** The user who already existed, when nothing was sent. */
  user: User | null
}

export type ExternalUserState = 'PendingAcceptance' | 'Accepted'

/** Where a guest stands (from externalUserState and its change time). */
export interface GuestStatus {
  userId: string
  email: string | null
  displayName: string | null
  userPrincipalName: string | null
  userType: string | null
  /** 'PendingAcceptance', 'Accepted', or null for users who were not invited. */
  state: ExternalUserState | (string & {}) | null
  changedAt: Date | null
  user: User
}

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

export interface BulkOptions extends CallOptions {
  /**
   * Results CSV, written as rows finish; an existing one is resumed (rows are matched by
   * address). One run at a time per results file: another is refused (`InvalidInputError`,
   * field `results`) unless `wait` is true.
   */
  results?: string | null
  /** Most invitations in flight (default 16; the pace adapts below it). */
  concurrency?: number | null
  /** Read and validate only; nothing is sent. */
  dryRun?: boolean | null
  /** Look each address up first and report existing users (default true). */
  skipExisting?: boolean | null
  /** Wait for another run holding the results file instead of refusing at once (default false). */
  wait?: boolean | null
  /**
   * How long a row whose invitation may have been created without an answer (a 5xx, a dropped
   * connection) is looked up before it is sent again, in milliseconds (default 30000).
   */
  settleTimeoutMs?: number | null
}

export interface BulkResult {
  /** Line of the input file where the row starts. */
  row: number
  email: string
  outcome: 'invited' | 'existing' | 'failed' | 'invalid' | 'valid'
  userId: string | null
  inviteRedeemUrl: string | null
  errorKind: ErrorKind | null
  errorCode: string | null
  message: string | null
  requestId: string | null
}

export interface BulkSummary {
  invited: number
  existing: number
  failed: number
  invalid: number
  valid: number
  /** Rows settled by an earlier run with the same results file. */
  resumed: number
  /** Rows of this input that the results file did not know (new or changed addresses). */
  added: number
  /** Of the added rows, those that were invalid at the same position in the earlier run. */
  fixed: number
  /** Addresses in the results file that are no longer in the input (known at the end). */
  removed: number
  /** The results file was written for another input (or an earlier version of this one). */
  inputChanged: boolean
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
  lookup(email: string, options?: CallOptions): Promise<LookupResult>
  inviteIfAbsent(request: InvitationRequest, options?: CallOptions): Promise<InviteIfAbsentResult>
  /** By email or user object id. */
  status(emailOrUserId: string, options?: CallOptions): Promise<GuestStatus>
  guests(options?: GuestsOptions): GuestList
  resetRedemption(userId: string, request: ResetRequest, options?: CallOptions): Promise<Invitation>
  /** Invites every row of a bulk-invite CSV (the admin center's template or a plain CSV). */
  bulkInvite(path: string, options?: BulkOptions): BulkRun
}

export type ErrorKind =
  | 'InvalidInput' | 'Auth' | 'PermissionDenied' | 'NotFound' | 'AlreadyExists' | 'VerifiedDomain'
  | 'BlockedByPolicy' | 'Throttled' | 'Service' | 'Network' | 'Timeout' | 'Protocol' | 'Internal'

export interface ErrorDetails {
  kind?: ErrorKind
  code?: string | null
  status?: number | null
  requestId?: string | null
  clientRequestId?: string | null
  date?: string | null
  field?: string | null
  retryAfter?: number | null
  aadsts?: number | null
  maybeApplied?: boolean
}

/** Every error of this package. */
export declare class EntraInviteError extends Error {
  constructor(message: string, details?: ErrorDetails, options?: ErrorOptions)
  readonly kind: ErrorKind
  /** Graph's (or the token endpoint's) error code, e.g. 'Request_ResourceNotFound'. */
  readonly code: string | null
  /** HTTP status of the failing answer. */
  readonly status: number | null
  readonly requestId: string | null
  readonly clientRequestId: string | null
  /** The failing answer's Date header. */
  readonly date: string | null
  /** The invitation may have been created although the call failed (a 5xx, a dropped connection or
   * an unreadable answer to the invitation request): look the user up before sending it again. */
  readonly maybeApplied: boolean
}
/** Refused before sending (or rejected by Graph as a bad request); `field` names the culprit. */
export declare class InvalidInputError extends EntraInviteError {
  readonly field: string | null
}
/** The credential was refused (token endpoint) or a token rejected. */
export declare class AuthError extends EntraInviteError {
  readonly aadsts: number | null
}
export declare class PermissionDeniedError extends EntraInviteError {}
export declare class NotFoundError extends EntraInviteError {}
/** The invitee exists in the tenant as an internal member. */
export declare class AlreadyExistsError extends EntraInviteError {}
/** The invitee's domain is verified in the tenant: invite them as members instead. */
export declare class VerifiedDomainError extends EntraInviteError {}
export declare class BlockedByPolicyError extends EntraInviteError {}
/** Graph kept answering 429; come back after `retryAfter` seconds. */
export declare class ThrottledError extends EntraInviteError {
  readonly retryAfter: number | null
}
export declare class ServiceError extends EntraInviteError {}
export declare class NetworkError extends EntraInviteError {}
export declare class TimeoutError extends EntraInviteError {}
export declare class ProtocolError extends EntraInviteError {}
/** A bug in this package; please report it. */
export declare class InternalError extends EntraInviteError {}
