// Types of `entra-invite-testing` (and of `entra-invite/testing`, which re-exports it): an
// in-process Graph emulator for your tests.
import type { Client, ClientOptions, User } from 'entra-invite'

export interface EmulatorStartOptions {
  /** Serve TLS with a fresh self-signed certificate (trust it with `caCertPem`). */
  https?: boolean
}

export interface EmulatorStats {
  /** Per route and status, e.g. { 'POST /v1.0/invitations 201': 3 }. */
  requests: Record<string, number>
  invitationsCreated: number
  earlyRetries: number
  tokenRequests: number
  totalRequests: number
  [counter: string]: unknown
}

export interface OutboxMessage {
  to: string
  cc: string[]
  language: string | null
  customizedMessageBody: string | null
  inviteRedeemUrl: string
  tenant: string
  sentDateTime: string
  [property: string]: unknown
}

export declare class Emulator {
  private constructor()
  static start(options?: EmulatorStartOptions): Promise<Emulator>
  /** Base URL, e.g. 'http://127.0.0.1:PORT': pass it as `graphUrl`. */
  readonly url: string
  readonly tenant: string
  readonly clientId: string
  readonly clientSecret: string
  /** An app with only User.Read.All. */
  readonly readonlyClientId: string
  readonly readonlyClientSecret: string
  /** The certificate to trust, when started with https. */
  readonly caCertPem: string | null
  /** Options for a Client of the default app against this emulator; `overrides` win. */
  clientOptions(overrides?: ClientOptions): ClientOptions
  client(overrides?: ClientOptions): Client
  /** Any control-API call: `method` `/_emulator/{path}`; its JSON answer (narrow it to use it). */
  control(method: string, path: string, body?: unknown): Promise<unknown>
  /** The guest accepts their invitation (by email or user id). */
  redeem(emailOrUserId: string): Promise<User>
  outbox(): Promise<OutboxMessage[]>
  /** Replaces the active faults (throttling, scripted answers, latency, drops...). */
  setFaults(faults: Record<string, unknown>): Promise<void>
  stats(): Promise<EmulatorStats>
  addUser(user: Partial<User> & Record<string, unknown>): Promise<User>
  addDomain(domain: { id: string; isVerified?: boolean; tenant?: string }): Promise<unknown>
  /** A static access token (default app unless `clientId`/`roles` are given). */
  issueToken(options?: { clientId?: string; roles?: string[]; expiresInSecs?: number; tenant?: string }): Promise<string>
  reset(): Promise<void>
  stop(): Promise<void>
}

/** Whether the core runtime has started in this process (loading the package starts nothing). */
export declare function runtimeStarted(): boolean
/** The name of the thread an async call runs on ('entra-invite-rt'). */
export declare function runtimeThreadName(): Promise<string>
/** @private For this package's tests: rejects with an InternalError made from a panic in the core. */
export declare function _forceInternalError(): Promise<void>
