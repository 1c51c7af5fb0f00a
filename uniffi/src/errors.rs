//! `EntraInviteError`: one case per core `ErrorKind` (Kotlin: a sealed exception class, Swift: an
//! error enum), each carrying the one `ErrorDetails` record core derives, so a kind can be
//! caught on its own and every detail read the same way (`details()` from the sealed type).

use entra_invite::{Error, ErrorDetails, ErrorKind};

/// Declares the error with one case per kind, and the conversion from core's error.
macro_rules! kinds {
    ($($(#[$doc:meta])* $kind:ident),* $(,)?) => {
        /// What went wrong; `details` says everything (kind, message, field, status, code,
        /// request ids, date, retryAfter, aadsts, maybeApplied).
        #[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
        pub enum EntraInviteError {
            $($(#[$doc])* #[error("[{}] {}", .details.kind, .details.message)]
            $kind { details: ErrorDetails },)*
        }

        impl From<ErrorDetails> for EntraInviteError {
            fn from(details: ErrorDetails) -> Self {
                match details.kind {
                    $(ErrorKind::$kind => EntraInviteError::$kind { details },)*
                }
            }
        }

        impl EntraInviteError {
            fn get(&self) -> &ErrorDetails {
                match self {
                    $(EntraInviteError::$kind { details })|* => details,
                }
            }
        }
    };
}

// Core's one list of kinds (with their docs).
entra_invite::with_error_kinds!(kinds);

impl From<Error> for EntraInviteError {
    fn from(e: Error) -> Self {
        e.details().clone().into()
    }
}

/// A foreign callback (token provider, progress) that failed in a way uniffi could not map.
impl From<uniffi::UnexpectedUniFFICallbackError> for EntraInviteError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Error::new(
            ErrorKind::Internal,
            format!("a callback failed: {}", e.reason),
        )
        .into()
    }
}

#[uniffi::export]
impl EntraInviteError {
    /// The stable kind name (`InvalidInput`, `Throttled`, ...), as in every other language.
    pub fn kind(&self) -> String {
        self.get().kind.as_str().to_string()
    }

    /// Everything the error says, whichever the case.
    pub fn details(&self) -> ErrorDetails {
        self.get().clone()
    }
}

/// Shorthand for the exports.
pub type Result<T, E = EntraInviteError> = std::result::Result<T, E>;
