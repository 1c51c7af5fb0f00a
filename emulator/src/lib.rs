//! A stateful local stand-in for the Microsoft Graph endpoints entra-invite uses:
//! invitations, users, domains, `$batch` and the Entra token endpoint, plus a control API
//! under `/_emulator/` (see `CONTROL_API.md`).

mod assertion;
pub mod cli;
mod config;
mod counters;
mod error;
mod fault_layer;
mod faults;
mod graph_error;
mod headers;
mod jwt;
/// The OData `$filter`/`$select` parser (public for fuzzing and for tests of filter builders).
#[doc(hidden)]
pub mod odata;
mod policy;
mod resource_unit;
mod routes;
mod server;
mod state;
mod sync;
mod throttle;
mod tls;

pub use config::Config;
pub use error::Error;
pub use faults::{Bucket, Faults, Latency, RandomFault, RetryAfterFormat, ScriptedFault, Throttle};
pub use server::Emulator;

/// Initial domain of the tenant every fresh emulator has.
pub const DEFAULT_TENANT: &str = "contoso.onmicrosoft.com";
/// Object id of the default tenant.
pub const DEFAULT_TENANT_ID: &str = "5b1fa6c9-1c6b-4c3b-9d4c-7f2a8d5e0c11";
/// Verified (custom) domain of the default tenant.
pub const DEFAULT_VERIFIED_DOMAIN: &str = "contoso.com";
/// Client id of the default app (User.Invite.All, User.Read.All, User.ReadWrite.All).
pub const DEFAULT_CLIENT_ID: &str = "11111111-2222-3333-4444-555555555555";
/// Client secret of the default app.
pub const DEFAULT_CLIENT_SECRET: &str = "emulator-secret-value";
/// Client id of the read-only app (User.Read.All only), for permission tests.
pub const READONLY_CLIENT_ID: &str = "66666666-7777-8888-9999-000000000000";
/// Client secret of the read-only app.
pub const READONLY_CLIENT_SECRET: &str = "emulator-readonly-secret";
