// The fields every `EntraInviteError` case carries, readable without matching the case.

import Foundation

extension EntraInviteError {
    private var fields: (detail: String, field: String?, status: UInt16?, code: String?,
                         requestId: String?, clientRequestId: String?, retryAfter: TimeInterval?,
                         maybeApplied: Bool) {
        switch self {
        case let .InvalidInput(d, f, s, c, r, cr, ra, ma), let .Auth(d, f, s, c, r, cr, ra, ma),
             let .PermissionDenied(d, f, s, c, r, cr, ra, ma), let .NotFound(d, f, s, c, r, cr, ra, ma),
             let .AlreadyExists(d, f, s, c, r, cr, ra, ma), let .VerifiedDomain(d, f, s, c, r, cr, ra, ma),
             let .BlockedByPolicy(d, f, s, c, r, cr, ra, ma), let .Throttled(d, f, s, c, r, cr, ra, ma),
             let .Service(d, f, s, c, r, cr, ra, ma), let .Network(d, f, s, c, r, cr, ra, ma),
             let .Timeout(d, f, s, c, r, cr, ra, ma), let .Protocol(d, f, s, c, r, cr, ra, ma),
             let .Internal(d, f, s, c, r, cr, ra, ma):
            return (d, f, s, c, r, cr, ra, ma)
        }
    }

    /// A readable explanation (Graph's own message for Graph errors).
    public var detail: String { fields.detail }
    /// For `InvalidInput`: the field that is wrong (`invitedUserEmailAddress`, ...).
    public var field: String? { fields.field }
    /// HTTP status of Graph's (or the token endpoint's) answer.
    public var status: UInt16? { fields.status }
    /// Graph's error code (`Request_ResourceNotFound`, `TooManyRequests`, `invalid_client`...).
    public var code: String? { fields.code }
    public var requestId: String? { fields.requestId }
    public var clientRequestId: String? { fields.clientRequestId }
    /// How long Graph asked to wait (throttling).
    public var retryAfter: TimeInterval? { fields.retryAfter }
    /// The invitation may have been created although the call failed (a 5xx, a dropped
    /// connection or an unreadable answer to `POST /invitations`): do not resend blindly, look
    /// the address up first (`inviteIfAbsent` does).
    public var maybeApplied: Bool { fields.maybeApplied }
}
