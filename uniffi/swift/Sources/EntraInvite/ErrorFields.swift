// The fields every `EntraInviteError` case carries, readable without matching the case.

import Foundation

extension EntraInviteError {
    private var fields: (detail: String, field: String?, status: UInt16?, code: String?,
                         requestId: String?, clientRequestId: String?, retryAfter: TimeInterval?) {
        switch self {
        case let .InvalidInput(d, f, s, c, r, cr, ra), let .Auth(d, f, s, c, r, cr, ra),
             let .PermissionDenied(d, f, s, c, r, cr, ra), let .NotFound(d, f, s, c, r, cr, ra),
             let .AlreadyExists(d, f, s, c, r, cr, ra), let .VerifiedDomain(d, f, s, c, r, cr, ra),
             let .BlockedByPolicy(d, f, s, c, r, cr, ra), let .Throttled(d, f, s, c, r, cr, ra),
             let .Service(d, f, s, c, r, cr, ra), let .Network(d, f, s, c, r, cr, ra),
             let .Timeout(d, f, s, c, r, cr, ra), let .Protocol(d, f, s, c, r, cr, ra),
             let .Internal(d, f, s, c, r, cr, ra):
            return (d, f, s, c, r, cr, ra)
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
}
