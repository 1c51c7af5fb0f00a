//! entra-invite: Microsoft Entra B2B collaboration through Microsoft Graph — invite external
//! users, find out whether someone is already in the directory, follow guests' acceptance.
//!
//! ```no_run
//! # async fn demo() -> Result<(), entra_invite::Error> {
//! use entra_invite::{Client, Credential, InvitationRequest};
//! let client = Client::builder()
//!     .tenant("contoso.onmicrosoft.com")
//!     .credential(Credential::client_secret("client-id", "secret"))
//!     .build()?;
//! let inv = client.invite(&InvitationRequest::new("taylor@fabrikam.com", "https://myapps.microsoft.com/")).await?;
//! println!("{:?}", inv.invite_redeem_url);
//! # Ok(()) }
//! ```

mod bindings;
// Core's records and enums are the uniffi binding's own (namespace `entra_invite`).
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
pub mod auth;
pub mod bulk;
mod client;
mod cloud;
mod error;
pub mod http;
pub mod models;
pub mod odata;
mod ops;
pub mod runtime;
mod settings;
mod validate;

pub use auth::{AccessToken, AssertionAlgorithm, CertificateKey, Credential, Secret, TokenSource};
pub use bulk::{BulkOptions, BulkOutcome, BulkResult, BulkRun, BulkSummary};
pub use client::{ApiVersion, Client, ClientBuilder};
pub use cloud::Cloud;
pub use error::{Error, ErrorDetails, ErrorKind, Result};
pub use http::{PacingLimit, RetryPolicy};
pub use models::{
    CcRecipient, ExternalUserState, GuestStatus, Invitation, InvitationRequest, InviteOutcome,
    Lookup, User, UserType,
};
pub use ops::GuestPages;
pub use runtime::{block_on, spawn, Spawned};
pub use settings::Settings;
