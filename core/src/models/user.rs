//! The `user` properties that matter for guests; the rest of Graph's answer stays in `extra`.

#[cfg(feature = "napi")]
use napi_derive::napi;
#[cfg(feature = "python")]
use pyo3::pyclass;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "python", pyclass(frozen, eq, get_all, module = "entra_invite"))]
#[cfg_attr(feature = "napi", napi(object, object_from_js = false, use_nullable = true))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ObjectIdentity {
    #[serde(default)]
    pub sign_in_type: Option<String>,
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub issuer_assigned_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "python", pyclass(frozen, eq, module = "entra_invite"))]
#[cfg_attr(feature = "napi", napi(object, object_from_js = false, use_nullable = true))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct User {
    /// Always present: every query selects it, so an answer without it is not a user.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_principal_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_user_state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_user_state_change_date_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_mails: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_addresses: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identities: Option<Vec<ObjectIdentity>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date_time: Option<String>,
    #[serde(flatten)]
    #[cfg_attr(feature = "napi", napi(ts_type = "Record<string, unknown>"))]
    pub extra: Map<String, Value>,
}

/// The properties lookups and status reads `$select`: several are returned only when selected.
pub(crate) const USER_SELECT: &str = "id,displayName,mail,userPrincipalName,userType,creationType,\
externalUserState,externalUserStateChangeDateTime,accountEnabled,otherMails,proxyAddresses,createdDateTime";
