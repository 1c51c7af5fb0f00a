//! JavaScript values ↔ core types. Inputs arrive as plain objects named like Graph's JSON
//! (`invitedUserEmailAddress`, ...); results leave as Graph's own JSON (`serde`), so a JS
//! caller sees exactly what Graph sent. Type mistakes are `InvalidInput` errors naming the field.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use entra_invite::{
    CcRecipient, Error, ExternalUserState, GuestStatus, Invitation, InvitationRequest,
    InviteOutcome, Lookup, Settings, TokenSource, User, UserType,
};
use serde_json::{json, Map, Value};

use crate::errors::invalid;

type Res<T> = std::result::Result<T, Error>;

fn object<'a>(v: &'a Value, field: &str) -> Res<Option<&'a Map<String, Value>>> {
    match v {
        Value::Null => Ok(None),
        Value::Object(m) => Ok(Some(m)),
        _ => Err(invalid(field, "must be an object")),
    }
}

fn string(m: &Map<String, Value>, key: &str) -> Res<Option<String>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(key, "must be a string")),
    }
}

fn boolean(m: &Map<String, Value>, key: &str) -> Res<Option<bool>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(invalid(key, "must be a boolean")),
    }
}

fn non_negative(m: &Map<String, Value>, key: &str) -> Res<Option<f64>> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(x) if x >= 0.0 && x.is_finite() => Ok(Some(x)),
            _ => Err(invalid(key, "must be a non-negative number")),
        },
        Some(_) => Err(invalid(key, "must be a number")),
    }
}

fn only(m: &Map<String, Value>, allowed: &[&str], what: &str) -> Res<()> {
    match m.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(invalid(k, format!("is not a known {what} property"))),
        None => Ok(()),
    }
}

const CLIENT_OPTIONS: &[&str] = &[
    "tenant",
    "clientId",
    "clientSecret",
    "certificatePath",
    "certificatePassword",
    "federatedTokenFile",
    "token",
    "cloud",
    "graphUrl",
    "authorityUrl",
    "caCert",
    "caCertPem",
    "timeoutMs",
    "maxRetries",
    "invitationsPer5s",
];

/// The `Client` options object → the core's `Settings` (which holds all the option logic).
pub(crate) fn settings(options: &Value, provider: Option<Arc<dyn TokenSource>>) -> Res<Settings> {
    let empty = Map::new();
    let m = object(options, "options")?.unwrap_or(&empty);
    only(m, CLIENT_OPTIONS, "client option")?;
    Ok(Settings {
        tenant: string(m, "tenant")?,
        client_id: string(m, "clientId")?,
        client_secret: string(m, "clientSecret")?,
        certificate_path: string(m, "certificatePath")?.map(PathBuf::from),
        certificate_password: string(m, "certificatePassword")?,
        federated_token_file: string(m, "federatedTokenFile")?.map(PathBuf::from),
        token: string(m, "token")?,
        token_source: provider,
        cloud: string(m, "cloud")?,
        graph_url: string(m, "graphUrl")?,
        authority_url: string(m, "authorityUrl")?,
        ca_cert: string(m, "caCert")?.map(PathBuf::from),
        ca_cert_pem: string(m, "caCertPem")?,
        timeout: non_negative(m, "timeoutMs")?.map(|ms| Duration::from_secs_f64(ms / 1000.0)),
        max_retries: non_negative(m, "maxRetries")?.map(|n| n as usize),
        invitations_per_5s: non_negative(m, "invitationsPer5s")?.map(|n| n as u32),
    })
}

const REQUEST: &[&str] = &[
    "invitedUserEmailAddress",
    "inviteRedirectUrl",
    "invitedUserDisplayName",
    "sendInvitationMessage",
    "invitedUserType",
    "invitedUserMessageInfo",
    "invitedUserSponsors",
];
const MESSAGE_INFO: &[&str] = &["customizedMessageBody", "messageLanguage", "ccRecipients"];

/// `ccRecipients` in Graph's shape (`[{ emailAddress: { address, name } }]`) or plain addresses.
fn cc_recipients(v: Option<&Value>) -> Res<Vec<CcRecipient>> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let items = v
        .as_array()
        .ok_or_else(|| invalid("ccRecipients", "must be an array"))?;
    items
        .iter()
        .map(|r| match r {
            Value::String(s) => Ok(CcRecipient::new(s.clone())),
            other => {
                let address = other
                    .pointer("/emailAddress/address")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        invalid(
                            "ccRecipients",
                            "each recipient must be { emailAddress: { address, name? } }",
                        )
                    })?;
                match other.pointer("/emailAddress/name") {
                    None | Some(Value::Null) => Ok(CcRecipient::new(address)),
                    Some(Value::String(n)) => Ok(CcRecipient::named(address, n.clone())),
                    Some(_) => Err(invalid(
                        "ccRecipients",
                        "emailAddress.name must be a string",
                    )),
                }
            }
        })
        .collect()
}

fn sponsors(v: Option<&Value>) -> Res<Vec<String>> {
    let Some(v) = v.filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let items = v
        .as_array()
        .ok_or_else(|| invalid("invitedUserSponsors", "must be an array"))?;
    items
        .iter()
        .map(|s| match s {
            Value::String(id) => Ok(id.clone()),
            other => other
                .get("id")
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| invalid("invitedUserSponsors", "each sponsor must be { id }")),
        })
        .collect()
}

/// An invitation object in Graph's names → the core's request (validated by the core).
pub(crate) fn request(v: &Value) -> Res<InvitationRequest> {
    let empty = Map::new();
    let m = object(v, "invitation")?.unwrap_or(&empty);
    only(m, REQUEST, "invitation")?;
    let mut r = InvitationRequest::new(
        string(m, "invitedUserEmailAddress")?.unwrap_or_default(),
        string(m, "inviteRedirectUrl")?.unwrap_or_default(),
    );
    r.invited_user_display_name = string(m, "invitedUserDisplayName")?;
    r.send_invitation_message = boolean(m, "sendInvitationMessage")?.unwrap_or(false);
    if let Some(t) = string(m, "invitedUserType")? {
        r.invited_user_type = UserType::from_str(&t)?;
    }
    if let Some(info) = object(
        m.get("invitedUserMessageInfo").unwrap_or(&Value::Null),
        "invitedUserMessageInfo",
    )? {
        only(info, MESSAGE_INFO, "invitedUserMessageInfo")?;
        r.customized_message_body = string(info, "customizedMessageBody")?;
        r.message_language = string(info, "messageLanguage")?;
        r.cc_recipients = cc_recipients(info.get("ccRecipients"))?;
    }
    r.invited_user_sponsors = sponsors(m.get("invitedUserSponsors"))?;
    Ok(r)
}

pub(crate) fn state(v: Option<&str>) -> Res<Option<ExternalUserState>> {
    v.map(ExternalUserState::from_str).transpose()
}

fn to_json<T: serde::Serialize>(v: &T) -> Res<Value> {
    serde_json::to_value(v).map_err(|e| invalid("result", format!("cannot be converted: {e}")))
}

pub(crate) fn invitation(i: &Invitation) -> Res<Value> {
    to_json(i)
}

pub(crate) fn user(u: &User) -> Res<Value> {
    to_json(u)
}

pub(crate) fn lookup(l: &Lookup) -> Res<Value> {
    Ok(match l {
        Lookup::NotFound => json!({"exists": false, "user": null, "verifiedDomain": null}),
        Lookup::Existing(u) => json!({"exists": true, "user": user(u)?, "verifiedDomain": null}),
        Lookup::VerifiedDomain(d) => json!({"exists": false, "user": null, "verifiedDomain": d}),
    })
}

pub(crate) fn outcome(o: &InviteOutcome) -> Res<Value> {
    Ok(match o {
        InviteOutcome::Invited(i) => {
            json!({"invited": true, "invitation": invitation(i)?, "user": null})
        }
        InviteOutcome::Existing(u) => {
            json!({"invited": false, "invitation": null, "user": user(u)?})
        }
    })
}

/// `changedAt` leaves as ISO-8601 text; `index.js` makes it a `Date`.
pub(crate) fn status(s: &GuestStatus) -> Res<Value> {
    Ok(json!({
        "userId": s.user_id,
        "email": s.email,
        "displayName": s.display_name,
        "userPrincipalName": s.user_principal_name,
        "userType": s.user_type,
        "state": s.raw_state,
        "changedAt": s.changed_at.map(|d| d.to_rfc3339()),
        "user": user(&s.user)?,
    }))
}

const BULK_OPTIONS: &[&str] = &[
    "results",
    "concurrency",
    "dryRun",
    "skipExisting",
    "wait",
    "settleTimeoutMs",
];

/// `{ results, concurrency, dryRun, skipExisting, wait, settleTimeoutMs }` → the core's
/// `BulkOptions`.
pub(crate) fn bulk_options(options: &Value) -> Res<entra_invite::BulkOptions> {
    let empty = Map::new();
    let m = object(options, "options")?.unwrap_or(&empty);
    only(m, BULK_OPTIONS, "bulk option")?;
    let mut o = entra_invite::BulkOptions::default();
    if let Some(p) = string(m, "results")? {
        o.results = Some(PathBuf::from(p));
    }
    if let Some(n) = non_negative(m, "concurrency")? {
        o.concurrency = n as usize;
    }
    let flag = |k: &str| -> Res<Option<bool>> {
        match m.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(entra_invite::Error::invalid_input(
                k,
                "must be true or false",
            )),
        }
    };
    if let Some(b) = flag("dryRun")? {
        o.dry_run = b;
    }
    if let Some(b) = flag("skipExisting")? {
        o.skip_existing = b;
    }
    if let Some(b) = flag("wait")? {
        o.wait = b;
    }
    if let Some(ms) = non_negative(m, "settleTimeoutMs")? {
        o.settle_timeout = Duration::try_from_secs_f64(ms / 1000.0)
            .map_err(|_| invalid("settleTimeoutMs", "is too large"))?;
    }
    Ok(o)
}

/// A bulk row's result with the results file's column names in camelCase.
pub(crate) fn bulk_result(r: &entra_invite::BulkResult) -> Value {
    serde_json::json!({
        "row": r.row, "email": r.email, "outcome": r.outcome.as_str(), "userId": r.user_id,
        "inviteRedeemUrl": r.redeem_url, "errorKind": r.error_kind, "errorCode": r.error_code,
        "message": r.message, "requestId": r.request_id,
    })
}

pub(crate) fn bulk_summary(s: &entra_invite::BulkSummary) -> Value {
    serde_json::json!({
        "invited": s.invited, "existing": s.existing, "failed": s.failed, "invalid": s.invalid,
        "valid": s.valid, "resumed": s.resumed, "added": s.added, "fixed": s.fixed,
        "removed": s.removed, "inputChanged": s.input_changed,
    })
}
