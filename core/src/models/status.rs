//! Acceptance state of a guest, read from the user object (`externalUserState`).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::User;
use crate::error::Error;
#[cfg(feature = "napi")]
use napi_derive::napi;
#[cfg(feature = "python")]
use pyo3::pyclass;

/// Graph's `externalUserState` values for invited users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "napi", napi(string_enum))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ExternalUserState {
    PendingAcceptance,
    Accepted,
}

impl ExternalUserState {
    pub fn as_str(self) -> &'static str {
        match self {
            ExternalUserState::PendingAcceptance => "PendingAcceptance",
            ExternalUserState::Accepted => "Accepted",
        }
    }
}

impl fmt::Display for ExternalUserState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExternalUserState {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "pendingacceptance" | "pending" => Ok(ExternalUserState::PendingAcceptance),
            "accepted" => Ok(ExternalUserState::Accepted),
            _ => Err(Error::invalid_input(
                "externalUserState",
                format!("'{s}' is not PendingAcceptance or Accepted"),
            )),
        }
    }
}

/// Where a guest stands: from `externalUserState` + `externalUserStateChangeDateTime`.
#[derive(Debug, Clone, PartialEq)]
// Python's `to_dict()` and `repr()` are built on serde; `state` reads as its string value.
#[cfg_attr(feature = "python", derive(Serialize), serde(rename_all = "camelCase"))]
#[cfg_attr(feature = "python", pyclass(frozen, eq, get_all, module = "entra_invite"))]
#[cfg_attr(feature = "napi", napi(object, object_from_js = false, use_nullable = true))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GuestStatus {
    pub user_id: String,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub user_type: Option<String>,
    /// `None` for users who were not invited (members, self-service sign-up).
    pub state: Option<ExternalUserState>,
    /// The raw `externalUserState` when Graph sends a value this library does not know.
    pub raw_state: Option<String>,
    pub changed_at: Option<DateTime<Utc>>,
    pub user: User,
}

impl GuestStatus {
    pub(crate) fn from_user(user: User) -> Self {
        let raw_state = user.external_user_state.clone();
        let state = raw_state.as_deref().and_then(|s| s.parse().ok());
        let changed_at = user
            .external_user_state_change_date_time
            .as_deref()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.with_timezone(&Utc));
        GuestStatus {
            user_id: user.id.clone(),
            email: user.mail.clone(),
            display_name: user.display_name.clone(),
            user_principal_name: user.user_principal_name.clone(),
            user_type: user.user_type.clone(),
            state,
            raw_state,
            changed_at,
            user,
        }
    }
}
