//! Records and enums crossing the boundary, named like Graph's JSON (`invitedUserEmailAddress`
//! becomes Kotlin's `invitedUserEmailAddress`, Swift's `invitedUserEmailAddress`), and their
//! conversions from and to the core's types. Every record that mirrors a Graph resource also
//! carries `rawJson`: Graph's object as sent, unknown properties included.

use std::time::SystemTime;

use entra_invite as core;

/// `invitedUserType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum UserType {
    Guest,
    Member,
}

impl From<UserType> for core::UserType {
    fn from(t: UserType) -> Self {
        match t {
            UserType::Guest => core::UserType::Guest,
            UserType::Member => core::UserType::Member,
        }
    }
}

/// `externalUserState`: where an invited guest stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ExternalUserState {
    PendingAcceptance,
    Accepted,
}

impl From<ExternalUserState> for core::ExternalUserState {
    fn from(s: ExternalUserState) -> Self {
        match s {
            ExternalUserState::PendingAcceptance => core::ExternalUserState::PendingAcceptance,
            ExternalUserState::Accepted => core::ExternalUserState::Accepted,
        }
    }
}

impl From<core::ExternalUserState> for ExternalUserState {
    fn from(s: core::ExternalUserState) -> Self {
        match s {
            core::ExternalUserState::PendingAcceptance => ExternalUserState::PendingAcceptance,
            core::ExternalUserState::Accepted => ExternalUserState::Accepted,
        }
    }
}

/// An invitation to send. Only the address and the redirect URL are required; the core
/// validates everything before a request leaves.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct InvitationRequest {
    pub invited_user_email_address: String,
    /// Where the guest lands after redeeming (absolute `https` URL).
    pub invite_redirect_url: String,
    #[uniffi(default = None)]
    pub invited_user_display_name: Option<String>,
    /// Let Graph email the invitation (otherwise share `inviteRedeemUrl` yourself).
    #[uniffi(default = false)]
    pub send_invitation_message: bool,
    #[uniffi(default = None)]
    pub customized_message_body: Option<String>,
    /// e.g. `en-US`.
    #[uniffi(default = None)]
    pub message_language: Option<String>,
    /// At most one address (Graph honours only one CC).
    #[uniffi(default = [])]
    pub cc_recipients: Vec<String>,
    /// `Guest` when not given.
    #[uniffi(default = None)]
    pub invited_user_type: Option<UserType>,
    /// Sponsors' object ids.
    #[uniffi(default = [])]
    pub invited_user_sponsors: Vec<String>,
}

impl From<InvitationRequest> for core::InvitationRequest {
    fn from(r: InvitationRequest) -> Self {
        core::InvitationRequest {
            invited_user_email_address: r.invited_user_email_address,
            invite_redirect_url: r.invite_redirect_url,
            invited_user_display_name: r.invited_user_display_name,
            send_invitation_message: r.send_invitation_message,
            customized_message_body: r.customized_message_body,
            message_language: r.message_language,
            cc_recipients: r.cc_recipients.into_iter().map(Into::into).collect(),
            invited_user_type: r.invited_user_type.map(Into::into).unwrap_or_default(),
            invited_user_sponsors: r.invited_user_sponsors,
        }
    }
}

/// `invitedUser` of an invitation.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct InvitedUser {
    pub id: Option<String>,
    pub user_principal_name: Option<String>,
}

/// `invitedUserMessageInfo` of an invitation (CC recipients as plain addresses).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct InvitedUserMessageInfo {
    pub customized_message_body: Option<String>,
    pub message_language: Option<String>,
    pub cc_recipients: Vec<String>,
}

/// The invitation Graph created.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Invitation {
    pub id: Option<String>,
    pub invited_user_display_name: Option<String>,
    pub invited_user_email_address: Option<String>,
    pub invited_user_type: Option<String>,
    /// The redemption link: returned only here, never readable later.
    pub invite_redeem_url: Option<String>,
    pub invite_redirect_url: Option<String>,
    pub reset_redemption: Option<bool>,
    pub send_invitation_message: Option<bool>,
    /// Graph's invitation status (not the guest's acceptance: see `GuestStatus`).
    pub status: Option<String>,
    pub invited_user: Option<InvitedUser>,
    pub invited_user_message_info: Option<InvitedUserMessageInfo>,
    /// Graph's JSON object, every property included.
    pub raw_json: String,
}

impl From<&core::Invitation> for Invitation {
    fn from(i: &core::Invitation) -> Self {
        Invitation {
            id: i.id.clone(),
            invited_user_display_name: i.invited_user_display_name.clone(),
            invited_user_email_address: i.invited_user_email_address.clone(),
            invited_user_type: i.invited_user_type.clone(),
            invite_redeem_url: i.invite_redeem_url.clone(),
            invite_redirect_url: i.invite_redirect_url.clone(),
            reset_redemption: i.reset_redemption,
            send_invitation_message: i.send_invitation_message,
            status: i.status.clone(),
            invited_user: i.invited_user.as_ref().map(|u| InvitedUser {
                id: u.id.clone(),
                user_principal_name: u.user_principal_name.clone(),
            }),
            invited_user_message_info: i.invited_user_message_info.as_ref().map(|m| {
                InvitedUserMessageInfo {
                    customized_message_body: m.customized_message_body.clone(),
                    message_language: m.message_language.clone(),
                    cc_recipients: m
                        .cc_recipients
                        .iter()
                        .filter_map(|r| r.email_address.address.clone())
                        .collect(),
                }
            }),
            raw_json: raw(i),
        }
    }
}

/// One of a user's sign-in identities.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ObjectIdentity {
    pub sign_in_type: Option<String>,
    pub issuer: Option<String>,
    pub issuer_assigned_id: Option<String>,
}

/// A directory user, with the properties that matter for guests.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct User {
    pub id: String,
    pub display_name: Option<String>,
    pub mail: Option<String>,
    pub user_principal_name: Option<String>,
    /// `Guest` or `Member`.
    pub user_type: Option<String>,
    /// `Invitation` for invited guests.
    pub creation_type: Option<String>,
    pub external_user_state: Option<String>,
    pub external_user_state_change_date_time: Option<String>,
    pub account_enabled: Option<bool>,
    pub other_mails: Vec<String>,
    pub proxy_addresses: Vec<String>,
    pub identities: Vec<ObjectIdentity>,
    pub created_date_time: Option<String>,
    /// Graph's JSON object, every property included.
    pub raw_json: String,
}

impl From<&core::User> for User {
    fn from(u: &core::User) -> Self {
        User {
            id: u.id.clone(),
            display_name: u.display_name.clone(),
            mail: u.mail.clone(),
            user_principal_name: u.user_principal_name.clone(),
            user_type: u.user_type.clone(),
            creation_type: u.creation_type.clone(),
            external_user_state: u.external_user_state.clone(),
            external_user_state_change_date_time: u.external_user_state_change_date_time.clone(),
            account_enabled: u.account_enabled,
            other_mails: u.other_mails.clone().unwrap_or_default(),
            proxy_addresses: u.proxy_addresses.clone().unwrap_or_default(),
            identities: u
                .identities
                .iter()
                .flatten()
                .map(|i| ObjectIdentity {
                    sign_in_type: i.sign_in_type.clone(),
                    issuer: i.issuer.clone(),
                    issuer_assigned_id: i.issuer_assigned_id.clone(),
                })
                .collect(),
            created_date_time: u.created_date_time.clone(),
            raw_json: raw(u),
        }
    }
}

/// Whether an address already has a user in the tenant.
// Passed by value to Swift/Kotlin (uniffi has no boxed variant fields).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum Lookup {
    NotFound,
    Existing {
        user: User,
    },
    /// The address is in one of the tenant's verified domains: Graph refuses to invite it.
    VerifiedDomain {
        domain: String,
    },
}

impl From<&core::Lookup> for Lookup {
    fn from(l: &core::Lookup) -> Self {
        match l {
            core::Lookup::NotFound => Lookup::NotFound,
            core::Lookup::Existing(u) => Lookup::Existing {
                user: u.as_ref().into(),
            },
            core::Lookup::VerifiedDomain(d) => Lookup::VerifiedDomain { domain: d.clone() },
        }
    }
}

/// What `inviteIfAbsent` did.
// Passed by value to Swift/Kotlin (uniffi has no boxed variant fields).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, uniffi::Enum)]
pub enum InviteOutcome {
    Invited { invitation: Invitation },
    Existing { user: User },
}

impl From<&core::InviteOutcome> for InviteOutcome {
    fn from(o: &core::InviteOutcome) -> Self {
        match o {
            core::InviteOutcome::Invited(i) => InviteOutcome::Invited {
                invitation: i.as_ref().into(),
            },
            core::InviteOutcome::Existing(u) => InviteOutcome::Existing {
                user: u.as_ref().into(),
            },
        }
    }
}

/// Where a guest stands (`externalUserState` and when it last changed).
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct GuestStatus {
    pub user_id: String,
    pub email: Option<String>,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub user_type: Option<String>,
    /// `None` for users who were not invited, or for a state this library does not know
    /// (then `rawState` holds Graph's value).
    pub state: Option<ExternalUserState>,
    pub raw_state: Option<String>,
    pub changed_at: Option<SystemTime>,
    pub user: User,
}

impl From<&core::GuestStatus> for GuestStatus {
    fn from(s: &core::GuestStatus) -> Self {
        GuestStatus {
            user_id: s.user_id.clone(),
            email: s.email.clone(),
            display_name: s.display_name.clone(),
            user_principal_name: s.user_principal_name.clone(),
            user_type: s.user_type.clone(),
            state: s.state.map(Into::into),
            raw_state: s.raw_state.clone(),
            changed_at: s.changed_at.map(SystemTime::from),
            user: (&s.user).into(),
        }
    }
}

/// Graph's JSON of a model the core deserialised (it serialises back losslessly).
fn raw<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "{}".to_string())
}
