//! `EntraInviteError`: one variant per core `ErrorKind` (Kotlin: a sealed exception class,
//! Swift: an error enum), each with the same named fields. There is no field called
//! `message` (it would clash with Kotlin's `Throwable.message`); the explanation is `detail`.
//! Kotlin's `ErrorFields.kt` and Swift's `ErrorFields.swift` make every field readable from the
//! sealed type / enum without matching the variant.

use std::time::Duration;

use entra_invite::{Error, ErrorKind};

/// Every variant carries the same fields:
/// - `detail`: a readable explanation (Graph's own message for Graph errors);
/// - `field`: for `InvalidInput`, the input that is wrong;
/// - `status`, `code`: HTTP status and error code of Graph's (or the token endpoint's) answer;
/// - `requestId`, `clientRequestId`: Graph's `request-id` and the `client-request-id` sent;
/// - `retryAfter`: how long Graph asked to wait (throttling);
/// - `maybeApplied`: the invitation may have been created although the call failed (a 5xx, a
///   dropped connection or an unreadable 2xx answer to `POST /invitations`): do not resend
///   blindly, look the address up first (`inviteIfAbsent` does).
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
pub enum EntraInviteError {
    /// Bad input, refused before anything was sent; `field` names it.
    #[error("[InvalidInput] {detail}")]
    InvalidInput {
        detail: String,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
        maybe_applied: bool,
    },
    /// The token endpoint refused the credential (`code` is its error, e.g. `invalid_client`).
    #[error("[Auth] {detail}")]
    Auth {
        detail: String,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
        maybe_applied: bool,
    },
    /// The app or user lacks the permission for the call.
    #[error("[PermissionDenied] {detail}")]
    PermissionDenied {
        detail: String,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
        maybe_applied: bool,
    },
    /// The user does not exist.
    #[error("[NotFound] {detail}")]
    NotFound {
        detail: String,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
        maybe_applied: bool,
    },
    /// The invitee is already an internal member of the tenant.
    #[error("[AlreadyExists] {detail}")]
    AlreadyExists {
        detail: String,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
        maybe_applied: bool,
    },
    /// The invitee's domain is one of the tenant's verified domains.
    #[error("[VerifiedDomain] {detail}")]
    VerifiedDomain {
        detail: String,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
        maybe_applied: bool,
    },
    /// Cross-tenant access settings or tenant policy block the invitation.
    #[error("[BlockedByPolicy] {detail}")]
    BlockedByPolicy {
        detail: String,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
        maybe_applied: bool,
    },
    /// Graph kept answering 429; `retry_after` says when to come back.
    #[error("[Throttled] {detail}")]
    Throttled {
        detail: String,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
        maybe_applied: bool,
    },
    /// Graph kept failing (5xx).
    #[error("[Service] {detail}")]
    Service {
        detail: String,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
        maybe_applied: bool,
    },
    /// The connection failed.
    #[error("[Network] {detail}")]
    Network {
        detail: String,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
        maybe_applied: bool,
    },
    /// No answer in time.
    #[error("[Timeout] {detail}")]
    Timeout {
        detail: String,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
        maybe_applied: bool,
    },
    /// Graph answered something that cannot be understood.
    #[error("[Protocol] {detail}")]
    Protocol {
        detail: String,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
        maybe_applied: bool,
    },
    /// A bug in this library (or a callback that failed unexpectedly).
    #[error("[Internal] {detail}")]
    Internal {
        detail: String,
        field: Option<String>,
        status: Option<u16>,
        code: Option<String>,
        request_id: Option<String>,
        client_request_id: Option<String>,
        retry_after: Option<Duration>,
        maybe_applied: bool,
    },
}

impl From<Error> for EntraInviteError {
    fn from(e: Error) -> Self {
        let detail = e.message().to_string();
        let field = e.field().map(str::to_string);
        let status = e.status();
        let code = e.code().map(str::to_string);
        let request_id = e.request_id().map(str::to_string);
        let client_request_id = e.client_request_id().map(str::to_string);
        let retry_after = e.retry_after();
        let maybe_applied = e.maybe_applied();
        macro_rules! variant {
            ($v:ident) => {
                EntraInviteError::$v {
                    detail,
                    field,
                    status,
                    code,
                    request_id,
                    client_request_id,
                    retry_after,
                    maybe_applied,
                }
            };
        }
        match e.kind() {
            ErrorKind::InvalidInput => variant!(InvalidInput),
            ErrorKind::Auth => variant!(Auth),
            ErrorKind::PermissionDenied => variant!(PermissionDenied),
            ErrorKind::NotFound => variant!(NotFound),
            ErrorKind::AlreadyExists => variant!(AlreadyExists),
            ErrorKind::VerifiedDomain => variant!(VerifiedDomain),
            ErrorKind::BlockedByPolicy => variant!(BlockedByPolicy),
            ErrorKind::Throttled => variant!(Throttled),
            ErrorKind::Service => variant!(Service),
            ErrorKind::Network => variant!(Network),
            ErrorKind::Timeout => variant!(Timeout),
            ErrorKind::Protocol => variant!(Protocol),
            ErrorKind::Internal => variant!(Internal),
        }
    }
}

/// A foreign callback (token provider, progress) that failed in a way uniffi could not map.
impl From<uniffi::UnexpectedUniFFICallbackError> for EntraInviteError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        EntraInviteError::Internal {
            detail: format!("a callback failed: {}", e.reason),
            field: None,
            status: None,
            code: None,
            request_id: None,
            client_request_id: None,
            retry_after: None,
            maybe_applied: false,
        }
    }
}

#[uniffi::export]
impl EntraInviteError {
    /// The stable kind name (`InvalidInput`, `Throttled`, ...), as in every other language.
    pub fn kind(&self) -> String {
        self.kind_str().to_string()
    }
}

impl EntraInviteError {
    pub(crate) fn kind_str(&self) -> &'static str {
        match self {
            EntraInviteError::InvalidInput { .. } => "InvalidInput",
            EntraInviteError::Auth { .. } => "Auth",
            EntraInviteError::PermissionDenied { .. } => "PermissionDenied",
            EntraInviteError::NotFound { .. } => "NotFound",
            EntraInviteError::AlreadyExists { .. } => "AlreadyExists",
            EntraInviteError::VerifiedDomain { .. } => "VerifiedDomain",
            EntraInviteError::BlockedByPolicy { .. } => "BlockedByPolicy",
            EntraInviteError::Throttled { .. } => "Throttled",
            EntraInviteError::Service { .. } => "Service",
            EntraInviteError::Network { .. } => "Network",
            EntraInviteError::Timeout { .. } => "Timeout",
            EntraInviteError::Protocol { .. } => "Protocol",
            EntraInviteError::Internal { .. } => "Internal",
        }
    }

    /// The explanation, whichever the variant.
    pub fn detail(&self) -> &str {
        match self {
            EntraInviteError::InvalidInput { detail, .. }
            | EntraInviteError::Auth { detail, .. }
            | EntraInviteError::PermissionDenied { detail, .. }
            | EntraInviteError::NotFound { detail, .. }
            | EntraInviteError::AlreadyExists { detail, .. }
            | EntraInviteError::VerifiedDomain { detail, .. }
            | EntraInviteError::BlockedByPolicy { detail, .. }
            | EntraInviteError::Throttled { detail, .. }
            | EntraInviteError::Service { detail, .. }
            | EntraInviteError::Network { detail, .. }
            | EntraInviteError::Timeout { detail, .. }
            | EntraInviteError::Protocol { detail, .. }
            | EntraInviteError::Internal { detail, .. } => detail,
        }
    }
}

/// Shorthand for the exports.
pub type Result<T, E = EntraInviteError> = std::result::Result<T, E>;
