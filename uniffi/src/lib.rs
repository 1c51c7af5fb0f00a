//! Swift and Kotlin bindings of entra-invite, through uniffi. Thin by design: records and
//! errors are converted here, every operation runs in the core (on its one runtime).
//! The sources for each language are generated from the built library by the workspace's
//! own `uniffi-bindgen` (crate `entra-invite-uniffi-bindgen`, same uniffi version).
//! The in-process emulator for tests is not in this library: it is the separate testing library
//! (`uniffi/testing`, `libentra_invite_ffi_testing`), the optional testing artifact.

// The error enum is returned by value across the FFI (uniffi lifts it field by field), so its
// size cannot be boxed away.
#![allow(clippy::result_large_err)]

uniffi::setup_scaffolding!("entra_invite");

mod auth;
mod bulk;
mod client;
mod config;
mod diagnostics;
mod errors;
mod models;
mod secret;

pub use auth::{ProvidedToken, TokenProvider};
pub use bulk::{BulkOptions, BulkOutcome, BulkProgress, BulkResult, BulkSummary};
pub use client::{Client, GuestPager};
pub use config::ClientConfig;
pub use diagnostics::{debug_force_internal_error, runtime_started, runtime_thread_name};
pub use errors::EntraInviteError;
pub use models::{
    ExternalUserState, GuestStatus, Invitation, InvitationRequest, InviteOutcome, InvitedUser,
    InvitedUserMessageInfo, Lookup, ObjectIdentity, User, UserType,
};
pub use secret::Secret;
