//! A stateful local stand-in for the Microsoft Graph endpoints entra-invite uses:
//! invitations, users, domains, `$batch` and the Entra token endpoint, plus a control API
//! under `/_emulator/` (see `CONTROL_API.md`).

mod assertion;
pub mod cli;
mod config;
mod counters;
mod defaults;
mod email;
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
mod redeem;
mod reply;
mod request;
mod resource_unit;
mod routes;
mod server;
mod state;
mod sync;
mod throttle;
mod tls;
mod user_defaults;

pub use config::Config;
pub use defaults::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT, DEFAULT_TENANT_ID,
    DEFAULT_VERIFIED_DOMAIN, READONLY_CLIENT_ID, READONLY_CLIENT_SECRET,
};
pub use error::Error;
pub use faults::{Bucket, Faults, Latency, RandomFault, RetryAfterFormat, ScriptedFault, Throttle};
pub use server::Emulator;
