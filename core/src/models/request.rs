//! What the caller asks for: validated, then turned into Graph's invitation body.

use std::fmt;
use std::str::FromStr;

use serde_json::{json, Value};

use crate::error::Error;
use crate::validate;
#[cfg(feature = "napi")]
use napi_derive::napi;

/// `invitedUserType`: Guest (default) or Member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "napi", napi(string_enum), derive(serde::Deserialize))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum UserType {
    #[default]
    Guest,
    Member,
}

impl UserType {
    pub fn as_str(self) -> &'static str {
        match self {
            UserType::Guest => "Guest",
            UserType::Member => "Member",
        }
    }
}

impl fmt::Display for UserType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UserType {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.to_ascii_lowercase().as_str() {
            "guest" => Ok(UserType::Guest),
            "member" => Ok(UserType::Member),
            _ => Err(Error::invalid_input(
                "invitedUserType",
                format!("'{s}' is not Guest or Member"),
            )),
        }
    }
}

/// A CC recipient of the invitation email: an address and, if wanted, the name shown for it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "napi", napi(object, object_from_js = false, object_to_js = false))]
#[cfg_attr(feature = "napi", derive(serde::Deserialize))]
#[cfg_attr(feature = "napi", serde(default, rename_all = "camelCase", deny_unknown_fields))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CcRecipient {
    pub address: String,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub name: Option<String>,
}

impl CcRecipient {
    pub fn new(address: impl Into<String>) -> Self {
        CcRecipient {
            address: address.into(),
            name: None,
        }
    }
    pub fn named(address: impl Into<String>, name: impl Into<String>) -> Self {
        CcRecipient {
            address: address.into(),
            name: Some(name.into()),
        }
    }
}

impl From<String> for CcRecipient {
    fn from(address: String) -> Self {
        CcRecipient::new(address)
    }
}

impl From<&str> for CcRecipient {
    fn from(address: &str) -> Self {
        CcRecipient::new(address)
    }
}

/// An invitation to send. Required: the invitee's email and the redirect URL.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "napi", napi(object, object_from_js = false, object_to_js = false))]
#[cfg_attr(feature = "napi", derive(serde::Deserialize))]
#[cfg_attr(feature = "napi", serde(default, rename_all = "camelCase", deny_unknown_fields))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct InvitationRequest {
    pub invited_user_email_address: String,
    pub invite_redirect_url: String,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub invited_user_display_name: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub send_invitation_message: bool,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub customized_message_body: Option<String>,
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub message_language: Option<String>,
    /// Graph honours only one CC recipient; more is refused before sending.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub cc_recipients: Vec<CcRecipient>,
    pub invited_user_type: UserType,
    /// Sponsors' object ids (users or groups).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub invited_user_sponsors: Vec<String>,
}

impl InvitationRequest {
    pub fn new(email: impl Into<String>, redirect_url: impl Into<String>) -> Self {
        InvitationRequest {
            invited_user_email_address: email.into(),
            invite_redirect_url: redirect_url.into(),
            ..Default::default()
        }
    }
    pub fn display_name(mut self, v: impl Into<String>) -> Self {
        self.invited_user_display_name = Some(v.into());
        self
    }
    pub fn send_message(mut self, v: bool) -> Self {
        self.send_invitation_message = v;
        self
    }
    pub fn message(mut self, v: impl Into<String>) -> Self {
        self.customized_message_body = Some(v.into());
        self
    }
    pub fn language(mut self, v: impl Into<String>) -> Self {
        self.message_language = Some(v.into());
        self
    }
    pub fn cc(mut self, v: impl Into<CcRecipient>) -> Self {
        self.cc_recipients.push(v.into());
        self
    }
    pub fn user_type(mut self, v: UserType) -> Self {
        self.invited_user_type = v;
        self
    }
    pub fn sponsor(mut self, id: impl Into<String>) -> Self {
        self.invited_user_sponsors.push(id.into());
        self
    }

    /// Checks every field against Graph's rules; the first problem names its field.
    pub fn validate(&self) -> Result<(), Error> {
        validate::email("invitedUserEmailAddress", &self.invited_user_email_address)?;
        validate::redirect_url("inviteRedirectUrl", &self.invite_redirect_url)?;
        if let Some(n) = &self.invited_user_display_name {
            validate::single_line("invitedUserDisplayName", n, validate::MAX_DISPLAY_NAME)?;
        }
        if let Some(m) = &self.customized_message_body {
            validate::message_body("customizedMessageBody", m)?;
        }
        if let Some(l) = &self.message_language {
            validate::language("messageLanguage", l)?;
        }
        if self.cc_recipients.len() > 1 {
            return Err(Error::invalid_input(
                "ccRecipients",
                format!(
                    "Graph honours only one CC recipient, {} were given",
                    self.cc_recipients.len()
                ),
            ));
        }
        for cc in &self.cc_recipients {
            validate::email("ccRecipients", &cc.address)?;
            if let Some(n) = &cc.name {
                validate::single_line("ccRecipients", n, validate::MAX_DISPLAY_NAME)?;
            }
        }
        for s in &self.invited_user_sponsors {
            validate::object_id("invitedUserSponsors", s)?;
        }
        Ok(())
    }

    /// Graph's JSON body. `reset_user_id` makes it a redemption reset of that user.
    pub(crate) fn to_body(&self, reset_user_id: Option<&str>) -> Value {
        let mut body = json!({
            "invitedUserEmailAddress": self.invited_user_email_address.trim(),
            "inviteRedirectUrl": self.invite_redirect_url,
            "sendInvitationMessage": self.send_invitation_message,
            "invitedUserType": self.invited_user_type.as_str(),
        });
        let obj = body.as_object_mut();
        let Some(obj) = obj else { return body };
        if let Some(n) = &self.invited_user_display_name {
            obj.insert("invitedUserDisplayName".into(), json!(n));
        }
        if self.customized_message_body.is_some()
            || self.message_language.is_some()
            || !self.cc_recipients.is_empty()
        {
            let cc: Vec<Value> = self
                .cc_recipients
                .iter()
                .map(|r| match &r.name {
                    Some(n) => json!({"emailAddress": {"address": r.address.trim(), "name": n}}),
                    None => json!({"emailAddress": {"address": r.address.trim()}}),
                })
                .collect();
            obj.insert(
                "invitedUserMessageInfo".into(),
                json!({
                    "customizedMessageBody": self.customized_message_body,
                    "messageLanguage": self.message_language,
                    "ccRecipients": cc,
                }),
            );
        }
        if !self.invited_user_sponsors.is_empty() {
            let s: Vec<Value> = self
                .invited_user_sponsors
                .iter()
                .map(|id| json!({"id": id}))
                .collect();
            obj.insert("invitedUserSponsors".into(), Value::Array(s));
        }
        if let Some(id) = reset_user_id {
            obj.insert("invitedUser".into(), json!({"id": id}));
            obj.insert("resetRedemption".into(), json!(true));
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cc_recipient_keeps_its_name_and_a_bad_name_is_refused() {
        let r = InvitationRequest::new("taylor@fabrikam.com", "https://myapps.microsoft.com/")
            .cc(CcRecipient::named(" lead@contoso.com", "Team Lead"));
        r.validate().unwrap();
        assert_eq!(
            r.to_body(None)["invitedUserMessageInfo"]["ccRecipients"],
            json!([{"emailAddress": {"address": "lead@contoso.com", "name": "Team Lead"}}])
        );
        let plain = InvitationRequest::new("taylor@fabrikam.com", "https://myapps.microsoft.com/")
            .cc("lead@contoso.com");
        assert_eq!(
            plain.to_body(None)["invitedUserMessageInfo"]["ccRecipients"],
            json!([{"emailAddress": {"address": "lead@contoso.com"}}])
        );
        let bad =
            InvitationRequest::new("taylor@fabrikam.com", "https://myapps.microsoft.com/").cc(
                CcRecipient::named("lead@contoso.com", "Lead\r\nBcc: x@evil.example"),
            );
        assert_eq!(bad.validate().unwrap_err().field(), Some("ccRecipients"));
    }
}
