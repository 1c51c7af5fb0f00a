//! The `invitation` resource exactly as Graph sends it; unknown fields are kept in `extra`.

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
pub struct EmailAddress {
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "python", pyclass(frozen, eq, get_all, module = "entra_invite"))]
#[cfg_attr(feature = "napi", napi(object, object_from_js = false, use_nullable = true))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Recipient {
    #[serde(default)]
    pub email_address: EmailAddress,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "python", pyclass(frozen, eq, get_all, module = "entra_invite"))]
#[cfg_attr(feature = "napi", napi(object, object_from_js = false, use_nullable = true))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InvitedUserMessageInfo {
    #[serde(default)]
    pub cc_recipients: Vec<Recipient>,
    #[serde(default)]
    pub customized_message_body: Option<String>,
    #[serde(default)]
    pub message_language: Option<String>,
}

/// `invitedUser` of an invitation: Graph returns `id` and `userPrincipalName`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "python", pyclass(frozen, eq, module = "entra_invite"))]
#[cfg_attr(feature = "napi", napi(object, object_from_js = false, use_nullable = true))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InvitedUser {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_principal_name: Option<String>,
    #[serde(flatten)]
    #[cfg_attr(feature = "napi", napi(ts_type = "Record<string, unknown>"))]
    pub extra: Map<String, Value>,
}

/// An invitation as returned by `POST /invitations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "python", pyclass(frozen, eq, module = "entra_invite"))]
#[cfg_attr(feature = "napi", napi(object, object_from_js = false, use_nullable = true))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Invitation {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub invited_user_display_name: Option<String>,
    #[serde(default)]
    pub invited_user_email_address: Option<String>,
    #[serde(default)]
    pub invited_user_message_info: Option<InvitedUserMessageInfo>,
    #[serde(default)]
    pub invited_user_type: Option<String>,
    /// The redemption link: only ever returned here, never readable later.
    #[serde(default)]
    pub invite_redeem_url: Option<String>,
    #[serde(default)]
    pub invite_redirect_url: Option<String>,
    #[serde(default)]
    pub reset_redemption: Option<bool>,
    #[serde(default)]
    pub send_invitation_message: Option<bool>,
    /// Graph's invitation status; not the acceptance state (that is the user's `externalUserState`).
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub invited_user: Option<InvitedUser>,
    #[serde(flatten)]
    #[cfg_attr(feature = "napi", napi(ts_type = "Record<string, unknown>"))]
    pub extra: Map<String, Value>,
}

impl Invitation {
    /// The invited user's object id.
    pub fn invited_user_id(&self) -> Option<&str> {
        self.invited_user.as_ref().and_then(|u| u.id.as_deref())
    }
}
