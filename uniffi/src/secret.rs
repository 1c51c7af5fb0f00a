//! `Secret`: how a client secret, certificate password or access token is handed over. An
//! opaque object rather than a string field, because uniffi makes records Kotlin data classes
//! and Swift structs, whose `toString()`, `description` and `dump` print every field.

use std::fmt;
use std::sync::Arc;

/// A secret value (client secret, certificate password, access token). Write-only: it prints as
/// `***` (`Secret(***)` in Swift's `debugDescription`) and cannot be read back. The core's own
/// `Secret` inside keeps it out of `Debug`/`Display`.
#[derive(uniffi::Object)]
#[uniffi::export(Debug, Display)]
pub struct Secret(entra_invite::Secret);

#[uniffi::export]
impl Secret {
    #[uniffi::constructor]
    pub fn new(value: String) -> Arc<Self> {
        Arc::new(Secret(entra_invite::Secret::new(value)))
    }
}

impl Secret {
    /// The value, for the core's `Settings` (which keeps it out of every output in turn).
    pub(crate) fn expose(&self) -> String {
        self.0.expose().to_string()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}
