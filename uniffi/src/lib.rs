//! Swift and Kotlin bindings of entra-invite, through uniffi. Thin by design: the records and
//! enums are core's own (derived behind its `uniffi` feature, namespace `entra_invite`); this
//! crate adds the client object, the error, the callbacks and the secrets, and every operation
//! runs in the core (on its one runtime). The sources for both namespaces are generated from
//! the built library by the workspace's own `uniffi-bindgen` (crate `entra-invite-uniffi-bindgen`,
//! same uniffi version). The in-process emulator for tests is not in this library: it is the
//! separate testing library (`uniffi/testing`, `libentra_invite_ffi_testing`).

// The error is returned by value across the FFI (uniffi lifts it field by field), so the size of
// its `ErrorDetails` cannot be boxed away.
#![allow(clippy::result_large_err)]

uniffi::setup_scaffolding!("entra_invite_ffi");

mod auth;
mod bulk;
mod client;
mod config;
mod diagnostics;
mod errors;
mod secret;

pub use auth::{ProvidedToken, TokenProvider};
pub use bulk::BulkProgress;
pub use client::{Client, GuestPager};
pub use config::ClientOptions;
pub use diagnostics::{debug_force_internal_error, runtime_started, runtime_thread_name};
pub use errors::EntraInviteError;
pub use secret::Secret;
