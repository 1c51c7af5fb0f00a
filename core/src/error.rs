//! One error type for every operation, with a kind each binding maps to its own classes.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Calls the macro `$m` with every error kind and its documentation: the one list of kinds,
/// from which `ErrorKind` is declared below and a binding declares its per-kind errors (uniffi's
/// `EntraInviteError`), so no list of kinds is written twice.
#[macro_export]
#[doc(hidden)]
macro_rules! with_error_kinds {
    ($m:ident) => {
        $m! {
            /// Bad input, refused before anything was sent (or rejected by Graph as a bad request);
            /// `field` names it.
            InvalidInput,
            /// The token endpoint refused the credential (AADSTS code kept), or a token was
            /// rejected.
            Auth,
            /// The app or user lacks the permission or role for the call.
            PermissionDenied,
            /// The user (or route) does not exist.
            NotFound,
            /// The invitee already exists in the tenant as an internal member.
            AlreadyExists,
            /// The invitee's domain is a verified domain of the tenant: invite them as members
            /// instead.
            VerifiedDomain,
            /// Cross-tenant access settings, allow/deny lists or tenant policy block the
            /// invitation.
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
    };
}

macro_rules! declare_error_kind {
    ($($(#[$doc:meta])* $kind:ident,)*) => {
        /// What went wrong, in terms a caller can act on.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "napi", napi_derive::napi(string_enum), derive(serde::Serialize))]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        pub enum ErrorKind {
            $($(#[$doc])* $kind,)*
        }

        impl ErrorKind {
            /// The stable name every language sees (`InvalidInput`, `Throttled`, ...).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorKind::$kind => stringify!($kind),)*
                }
            }

            /// All kinds, for bindings that generate one class per kind.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$kind,)*];
        }
    };
}

with_error_kinds!(declare_error_kind);

/// A record's default kind (an error that says nothing more is a bug of ours). Not derived:
/// `#[default]` would travel with the list into the bindings' errors.
#[allow(clippy::derivable_impls)]
impl Default for ErrorKind {
    fn default() -> Self {
        ErrorKind::Internal
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything an error says, as one plain record: what each binding hands to its language
/// (Python's exception attributes, Node's `Error` properties, uniffi's `ErrorDetails`).
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(
    feature = "napi",
    napi_derive::napi(object, object_from_js = false, object_to_js = false, use_nullable = true),
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ErrorDetails {
    pub kind: ErrorKind,
    /// A readable explanation (Graph's own message for Graph errors).
    pub message: String,
    /// For `InvalidInput`: the field that is wrong (`invitedUserEmailAddress`, ...).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub field: Option<String>,
    /// HTTP status of Graph's (or the token endpoint's) answer.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub status: Option<u16>,
    /// Graph's error code (`Request_ResourceNotFound`, `TooManyRequests`, `invalid_client`...).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub code: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub request_id: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub client_request_id: Option<String>,
    /// The `Date` header of the failing answer (for support cases).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub date: Option<String>,
    /// How long Graph asked us to wait (throttling).
    #[cfg_attr(feature = "napi", napi(ts_type = "number"))]
    #[cfg_attr(feature = "napi", serde(serialize_with = "crate::bindings::napi::millis_out"))]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub retry_after: Option<Duration>,
    /// The AADSTS number of a token-endpoint error (e.g. 7000215 for a wrong secret).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub aadsts: Option<u32>,
    /// Whether the server may have acted on the request (a POST sent but not answered).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub maybe_applied: bool,
}

/// The error of every operation. Never contains a secret or a token.
#[derive(Clone)]
pub struct Error {
    details: Box<ErrorDetails>,
    /// What a host language's callback raised (e.g. a token provider's exception), carried
    /// opaquely so its binding can chain it; the core never looks inside.
    cause: Option<Arc<dyn Any + Send + Sync>>,
}

impl Error {
    /// An error of `kind` (for crates built on this one, such as the test support).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            details: Box::new(ErrorDetails {
                kind,
                message: message.into(),
                ..Default::default()
            }),
            cause: None,
        }
    }

    /// The same error carrying `cause` (a host exception) for the binding that made it.
    pub fn with_cause(mut self, cause: Arc<dyn Any + Send + Sync>) -> Self {
        self.cause = Some(cause);
        self
    }

    /// The host-language cause given to [`Error::with_cause`], if any.
    pub fn cause(&self) -> Option<&Arc<dyn Any + Send + Sync>> {
        self.cause.as_ref()
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

    /// Everything the error says, as one record.
    pub fn details(&self) -> &ErrorDetails {
        &self.details
    }
    pub fn kind(&self) -> ErrorKind {
        self.details.kind
    }
    /// A readable explanation (Graph's own message for Graph errors).
    pub fn message(&self) -> &str {
        &self.details.message
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
        write!(f, "[{}] {}", self.details.kind, self.details.message)?;
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
            .field("kind", &d.kind)
            .field("message", &d.message)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_travels_with_the_error_and_its_clones() {
        let e = Error::auth("the token provider raised").with_cause(Arc::new(7_u32));
        let copy = e.clone();
        assert_eq!(copy.cause().and_then(|c| c.downcast_ref::<u32>()), Some(&7));
        assert!(Error::auth("plain").cause().is_none());
    }
}
