//! What `lookup` and `invite_if_absent` answer. Plain records rather than Rust enums, so every
//! language derives the same shape (`exists`/`user`/`verifiedDomain`, `invited`/`invitation`/
//! `user`) from this one declaration, and serde gives the canonical JSON the CLI prints.

use serde::Serialize;

use super::{Invitation, User};
#[cfg(feature = "napi")]
use napi_derive::napi;
#[cfg(feature = "python")]
use pyo3::pyclass;

/// Whether an email address already has a user in the tenant.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "python", pyclass(frozen, eq, get_all, module = "entra_invite"))]
#[cfg_attr(feature = "napi", napi(object, object_from_js = false, use_nullable = true))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Lookup {
    /// A user with this address exists (it is `user`).
    pub exists: bool,
    pub user: Option<User>,
    /// Set when the address is in one of the tenant's verified domains: Graph refuses to
    /// invite it (add it as a member instead).
    pub verified_domain: Option<String>,
}

impl Lookup {
    pub fn not_found() -> Self {
        Lookup::default()
    }
    pub fn existing(user: User) -> Self {
        Lookup {
            exists: true,
            user: Some(user),
            verified_domain: None,
        }
    }
    pub fn verified_domain(domain: String) -> Self {
        Lookup {
            verified_domain: Some(domain),
            ..Default::default()
        }
    }
}

/// What `invite_if_absent` did: `invited` with the `invitation`, or found the existing `user`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "python", pyclass(frozen, eq, get_all, module = "entra_invite"))]
#[cfg_attr(feature = "napi", napi(object, object_from_js = false, use_nullable = true))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InviteOutcome {
    pub invited: bool,
    pub invitation: Option<Invitation>,
    pub user: Option<User>,
}

impl InviteOutcome {
    pub fn invited(invitation: Invitation) -> Self {
        InviteOutcome {
            invited: true,
            invitation: Some(invitation),
            user: None,
        }
    }
    pub fn existing(user: User) -> Self {
        InviteOutcome {
            invited: false,
            invitation: None,
            user: Some(user),
        }
    }
}
