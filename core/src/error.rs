//! One error type for every operation, with a kind each binding maps to its own classes.

use std::fmt;
use std::time::Duration;

/// What went wrong, in terms a caller can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Bad input, refused before anything was sent (or rejected by Graph as a bad request).
    InvalidInput,
    /// The token endpoint refused the credential (AADSTS code kept), or a token was rejected.
    Auth,
    /// The app or user lacks the permission or role for the call.
    PermissionDenied,
    /// The user (or route) does not exist.
    NotFound,
    /// The invitee already exists in the tenant as an internal member.
    AlreadyExists,
    /// The invitee's domain is a verified domain of the tenant: invite them as members instead.
    VerifiedDomain,
    /// Cross-tenant access settings, allow/deny lists or tenant policy block the invitation.
    BlockedByPolicy,
    /// Graph answered 429 and retries ran out; `retry_after` says when to come back.
    Throttled,
    /// Graph failed (5xx) and retries ran out.
    Service,
    /// The connection failed.
    Network,
    /// No answer within the configured time.
    Timeout,
    /// Graph answered something we cannot understand.
    Protocol,
    /// A bug or broken invariant in this library; please report it.
    Internal,
}

impl ErrorKind {
    /// The stable name every language sees (`InvalidInput`, `Throttled`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidInput => "InvalidInput",
            ErrorKind::Auth => "Auth",
            ErrorKind::PermissionDenied => "PermissionDenied",
            ErrorKind::NotFound => "NotFound",
            ErrorKind::AlreadyExists => "AlreadyExists",
            ErrorKind::VerifiedDomain => "VerifiedDomain",
            ErrorKind::BlockedByPolicy => "BlockedByPolicy",
            ErrorKind::Throttled => "Throttled",
            ErrorKind::Service => "Service",
            ErrorKind::Network => "Network",
            ErrorKind::Timeout => "Timeout",
            ErrorKind::Protocol => "Protocol",
            ErrorKind::Internal => "Internal",
        }
    }

    /// All kinds, for bindings that generate one class per kind.
    pub const ALL: [ErrorKind; 13] = [
        ErrorKind::InvalidInput,
        ErrorKind::Auth,
        ErrorKind::PermissionDenied,
        ErrorKind::NotFound,
        ErrorKind::AlreadyExists,
        ErrorKind::VerifiedDomain,
        ErrorKind::BlockedByPolicy,
        ErrorKind::Throttled,
        ErrorKind::Service,
        ErrorKind::Network,
        ErrorKind::Timeout,
        ErrorKind::Protocol,
        ErrorKind::Internal,
    ];
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Default)]
struct Details {
    field: Option<String>,
    status: Option<u16>,
    code: Option<String>,
    request_id: Option<String>,
    client_request_id: Option<String>,
    date: Option<String>,
    retry_after: Option<Duration>,
    aadsts: Option<u32>,
    /// Whether the server may have acted on the request (a POST sent but not answered).
    maybe_applied: bool,
}

/// The error of every operation. Never contains a secret or a token.
#[derive(Clone)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    details: Box<Details>,
}

impl Error {
    /// An error of `kind` (for crates built on this one, such as the test support).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            details: Box::default(),
        }
    }

    /// Bad input naming `field`; nothing was sent.
    pub fn invalid_input(field: &str, message: impl Into<String>) -> Self {
        let mut e = Error::new(
            ErrorKind::InvalidInput,
            format!("{field}: {}", message.into()),
        );
        e.details.field = Some(field.to_string());
        e
    }

    /// An authentication failure, e.g. from a host-supplied token provider.
    pub fn auth(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Auth, message)
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal, message)
    }

    pub(crate) fn network(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Network, message)
    }

    /// The HTTP status the error came with.
    pub fn with_status(mut self, status: u16) -> Self {
        self.details.status = Some(status);
        self
    }

    pub(crate) fn with_code(mut self, code: impl Into<String>) -> Self {
        self.details.code = Some(code.into());
        self
    }

    pub(crate) fn with_ids(
        mut self,
        request_id: Option<String>,
        client_request_id: Option<String>,
        date: Option<String>,
    ) -> Self {
        self.details.request_id = request_id;
        self.details.client_request_id = client_request_id;
        self.details.date = date;
        self
    }

    pub(crate) fn with_retry_after(mut self, d: Option<Duration>) -> Self {
        self.details.retry_after = d;
        self
    }

    pub(crate) fn with_aadsts(mut self, code: Option<u32>) -> Self {
        self.details.aadsts = code;
        self
    }

    pub(crate) fn with_maybe_applied(mut self, v: bool) -> Self {
        self.details.maybe_applied = v;
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// A readable explanation (Graph's own message for Graph errors).
    pub fn message(&self) -> &str {
        &self.message
    }
    /// For `InvalidInput`: the field that is wrong (`invitedUserEmailAddress`, ...).
    pub fn field(&self) -> Option<&str> {
        self.details.field.as_deref()
    }
    /// HTTP status of Graph's (or the token endpoint's) answer.
    pub fn status(&self) -> Option<u16> {
        self.details.status
    }
    /// Graph's error code (`Request_ResourceNotFound`, `TooManyRequests`, `invalid_client`...).
    pub fn code(&self) -> Option<&str> {
        self.details.code.as_deref()
    }
    pub fn request_id(&self) -> Option<&str> {
        self.details.request_id.as_deref()
    }
    pub fn client_request_id(&self) -> Option<&str> {
        self.details.client_request_id.as_deref()
    }
    /// The `Date` header of the failing answer (for support cases).
    pub fn date(&self) -> Option<&str> {
        self.details.date.as_deref()
    }
    /// How long Graph asked us to wait (throttling).
    pub fn retry_after(&self) -> Option<Duration> {
        self.details.retry_after
    }
    /// The AADSTS number of a token-endpoint error (e.g. 7000215 for a wrong secret).
    pub fn aadsts(&self) -> Option<u32> {
        self.details.aadsts
    }
    /// True when a non-idempotent request was sent and may have been carried out although
    /// no answer says so: the caller must look the outcome up rather than resend blindly.
    pub fn maybe_applied(&self) -> bool {
        self.details.maybe_applied
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.kind, self.message)?;
        let d = &self.details;
        let mut parts = Vec::new();
        if let Some(s) = d.status {
            parts.push(format!("status {s}"));
        }
        if let Some(c) = &d.code {
            parts.push(format!("code {c}"));
        }
        if let Some(r) = &d.request_id {
            parts.push(format!("request-id {r}"));
        }
        if !parts.is_empty() {
            write!(f, " ({})", parts.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.details;
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("field", &d.field)
            .field("status", &d.status)
            .field("code", &d.code)
            .field("request_id", &d.request_id)
            .field("client_request_id", &d.client_request_id)
            .field("retry_after", &d.retry_after)
            .field("aadsts", &d.aadsts)
            .finish()
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
