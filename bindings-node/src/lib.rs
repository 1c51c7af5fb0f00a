//! Node.js addon of entra-invite. Every export is listed here; the code lives one file per area.
//! The types JavaScript sees are core's own (`#[napi(object)]` on core's models, feature `napi`);
//! `native.d.ts` is generated from them and from this crate.
//!
//! JavaScript sees (through `index.js`, which adds the error classes and the AbortSignal and
//! async-iterator glue):
//! - `NativeClient` (`client.rs`): `new NativeClient(options, tokenProvider?)`, `fromEnv()`,
//!   `invite`, `lookup`, `inviteIfAbsent`, `status`, `guests` → `GuestPager`,
//!   `resetRedemption`, `bulkInvite` → `BulkPager`;
//! - `Cancel` (`runtime.rs`): the native side of an `AbortSignal`;
//! - `runtimeStarted`, `runtimeThreadName`, `_forceInternalError` (`probes.rs`): the probes
//!   `entra-invite/testing` re-exports;
//! - `errorKinds` (`errors.rs`).

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod auth;
mod client;
mod errors;
mod pagers;
mod probes;
mod runtime;

pub use auth::TokenAnswer;
pub use client::NativeClient;
pub use errors::error_kinds;
pub use pagers::{BulkPager, GuestPage, GuestPager};
pub use probes::{force_internal_error, runtime_started, runtime_thread_name};
pub use runtime::Cancel;

// The emulator (`NativeEmulator`, `startEmulator`) is not here: it is the separate testing addon,
// `bindings-node/testing/` (npm `entra-invite-testing`), so production installs do not carry it.
