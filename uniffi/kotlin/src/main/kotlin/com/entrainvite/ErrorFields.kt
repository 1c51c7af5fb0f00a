// The fields every EntraInviteException subclass carries, readable from the sealed type too
// (`catch (e: EntraInviteException) { e.code }`); a subclass's own properties are the same values.
package com.entrainvite

import java.time.Duration

private data class Fields(
    val detail: String,
    val field: String?,
    val status: UShort?,
    val code: String?,
    val requestId: String?,
    val clientRequestId: String?,
    val retryAfter: Duration?,
    val maybeApplied: Boolean,
)

private val EntraInviteException.fields: Fields
    get() = when (this) {
        is EntraInviteException.InvalidInput -> Fields(detail, field, status, code, requestId, clientRequestId, retryAfter, maybeApplied)
        is EntraInviteException.Auth -> Fields(detail, field, status, code, requestId, clientRequestId, retryAfter, maybeApplied)
        is EntraInviteException.PermissionDenied -> Fields(detail, field, status, code, requestId, clientRequestId, retryAfter, maybeApplied)
        is EntraInviteException.NotFound -> Fields(detail, field, status, code, requestId, clientRequestId, retryAfter, maybeApplied)
        is EntraInviteException.AlreadyExists -> Fields(detail, field, status, code, requestId, clientRequestId, retryAfter, maybeApplied)
        is EntraInviteException.VerifiedDomain -> Fields(detail, field, status, code, requestId, clientRequestId, retryAfter, maybeApplied)
        is EntraInviteException.BlockedByPolicy -> Fields(detail, field, status, code, requestId, clientRequestId, retryAfter, maybeApplied)
        is EntraInviteException.Throttled -> Fields(detail, field, status, code, requestId, clientRequestId, retryAfter, maybeApplied)
        is EntraInviteException.Service -> Fields(detail, field, status, code, requestId, clientRequestId, retryAfter, maybeApplied)
        is EntraInviteException.Network -> Fields(detail, field, status, code, requestId, clientRequestId, retryAfter, maybeApplied)
        is EntraInviteException.Timeout -> Fields(detail, field, status, code, requestId, clientRequestId, retryAfter, maybeApplied)
        is EntraInviteException.Protocol -> Fields(detail, field, status, code, requestId, clientRequestId, retryAfter, maybeApplied)
        is EntraInviteException.Internal -> Fields(detail, field, status, code, requestId, clientRequestId, retryAfter, maybeApplied)
    }

/** A readable explanation (Graph's own message for Graph errors). */
val EntraInviteException.detail: String get() = fields.detail

/** For `InvalidInput`: the field that is wrong (`invitedUserEmailAddress`, ...). */
val EntraInviteException.field: String? get() = fields.field

/** HTTP status of Graph's (or the token endpoint's) answer. */
val EntraInviteException.status: UShort? get() = fields.status

/** Graph's error code (`Request_ResourceNotFound`, `TooManyRequests`, `invalid_client`...). */
val EntraInviteException.code: String? get() = fields.code

val EntraInviteException.requestId: String? get() = fields.requestId

val EntraInviteException.clientRequestId: String? get() = fields.clientRequestId

/** How long Graph asked to wait (throttling). */
val EntraInviteException.retryAfter: Duration? get() = fields.retryAfter

/**
 * The invitation may have been created although the call failed (a 5xx, a dropped connection or
 * an unreadable answer to `POST /invitations`): do not resend blindly, look the address up first
 * (`inviteIfAbsent` does).
 */
val EntraInviteException.maybeApplied: Boolean get() = fields.maybeApplied
