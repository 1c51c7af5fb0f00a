//! `POST /invitations` (and the GETs Graph answers with an IIS 404).

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use serde_json::{json, Map, Value};

use crate::email::valid_email;
use crate::graph_error::GraphError;
use crate::redeem::{new_ticket, redeem_url};
use crate::reply::{graph_json, respond};
use crate::request::{authorize, public_base, read_json, version};
use crate::state::{str_of, AppState, Tenant};
use crate::sync::lock;
use crate::user_defaults::{fill_missing, now_graph};

const INVITE_ROLES: &[&str] = &[
    "User.Invite.All",
    "User.ReadWrite.All",
    "Directory.ReadWrite.All",
];
const RESET_ROLES: &[&str] = &["User.ReadWrite.All", "Directory.ReadWrite.All"];

const KNOWN: &[&str] = &[
    "id",
    "invitedUserDisplayName",
    "invitedUserEmailAddress",
    "invitedUserMessageInfo",
    "invitedUserType",
    "inviteRedeemUrl",
    "inviteRedirectUrl",
    "resetRedemption",
    "sendInvitationMessage",
    "status",
    "invitedUser",
    "invitedUserSponsors",
];

/// Graph's answer to GET on the invitation set: the front end's IIS 404 page as a message.
pub async fn not_supported() -> Response {
    GraphError::new(
        404,
        "UnknownError",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd\">\r\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"/>\r\n<title>404 - File or directory not found.</title>\r\n</head>\r\n<body>\r\n<div id=\"header\"><h1>Server Error</h1></div>\r\n<div id=\"content\">\r\n <div class=\"content-container\"><fieldset>\r\n  <h2>404 - File or directory not found.</h2>\r\n  <h3>The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.</h3>\r\n </fieldset></div>\r\n</div>\r\n</body>\r\n</html>\r\n",
    )
    .into_response()
}

pub async fn create(State(app): State<AppState>, req: Request) -> Response {
    respond(create_inner(app, req).await)
}

pub fn unauthorized_invite(tid: &str) -> GraphError {
    GraphError::new(
        401,
        "Unauthorized",
        format!("Insufficient privileges to perform requested operation by the application '00000003-0000-0000-c000-000000000000'. ControllerName=MSGraphInviteAPI, ActionName=CreateInvite, URL absolute path=/api/{tid}/invites"),
    )
}

/// §1.6: the address is a proxyAddress of another user, group or contact. Graph's directory
/// text for that conflict; the invitation API's own status/code were not captured, so 400
/// `BadRequest` as for the verified-domain refusal.
fn proxy_conflict() -> GraphError {
    GraphError::bad_request(
        "Another object with the same value for property proxyAddresses already exists.",
    )
}

/// §1.5: an app-only reset of a user who holds directory roles. The text is the documented
/// rule; status/code were not captured, so Graph's usual answer to an app touching a
/// privileged account, 403 `Authorization_RequestDenied`.
fn reset_of_role_holder() -> GraphError {
    GraphError::new(
        403,
        "Authorization_RequestDenied",
        "For app-only calls, the redemption status can't be reset if there are any roles assigned to the target user account.",
    )
}

fn bad_type(value: &Value, edm: &str) -> GraphError {
    let lit = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    GraphError::bad_request(format!(
        "Cannot convert the literal '{lit}' to the expected type '{edm}'."
    ))
}

fn opt_string(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, GraphError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(bad_type(other, "Edm.String")),
    }
}

fn opt_bool(obj: &Map<String, Value>, key: &str) -> Result<bool, GraphError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(bad_type(other, "Edm.Boolean")),
    }
}

fn guest_user(tenant: &Tenant, email: &str, display_name: Option<&str>, user_type: &str) -> Value {
    let (local, domain) = email.rsplit_once('@').unwrap_or((email, ""));
    let upn = format!("{local}_{domain}#EXT#@{}", tenant.initial_domain);
    let now = now_graph();
    let mut user = json!({
        "id": uuid::Uuid::new_v4().to_string(),
        "businessPhones": [],
        "displayName": display_name.unwrap_or(local),
        "givenName": null,
        "jobTitle": null,
        "mail": email,
        "mobilePhone": null,
        "officeLocation": null,
        "preferredLanguage": null,
        "surname": null,
        "userPrincipalName": upn,
        "accountEnabled": true,
        "ageGroup": null,
        "city": null,
        "companyName": null,
        "country": null,
        "createdDateTime": now,
        "creationType": "Invitation",
        "deletedDateTime": null,
        "department": null,
        "employeeId": null,
        "externalUserState": "PendingAcceptance",
        "externalUserStateChangeDateTime": now,
        "identities": [
            {"signInType": "userPrincipalName", "issuer": tenant.initial_domain, "issuerAssignedId": upn}
        ],
        "imAddresses": [],
        "mailNickname": format!("{local}_{domain}#EXT#"),
        "onPremisesSyncEnabled": null,
        "otherMails": [email],
        "proxyAddresses": [format!("SMTP:{email}")],
        "usageLocation": null,
        "userType": user_type,
    });
    fill_missing(&mut user);
    user
}

struct MessageInfo {
    echo: Value,
    language: Option<String>,
    body: Option<String>,
    cc: Vec<String>,
}

fn message_info(v: Option<&Value>) -> Result<MessageInfo, GraphError> {
    let empty_cc = json!([{"emailAddress": {"name": null, "address": null}}]);
    let obj = match v {
        None | Some(Value::Null) => {
            return Ok(MessageInfo {
                echo: json!({"messageLanguage": null, "customizedMessageBody": null, "ccRecipients": empty_cc}),
                language: None,
                body: None,
                cc: Vec::new(),
            })
        }
        Some(Value::Object(o)) => o,
        Some(other) => return Err(bad_type(other, "microsoft.graph.invitedUserMessageInfo")),
    };
    for k in obj.keys() {
        if !k.starts_with('@')
            && !["ccRecipients", "customizedMessageBody", "messageLanguage"].contains(&k.as_str())
        {
            return Err(unknown_property(
                k,
                "microsoft.graph.invitedUserMessageInfo",
            ));
        }
    }
    let language = opt_string(obj, "messageLanguage")?;
    let body = opt_string(obj, "customizedMessageBody")?;
    let mut cc = Vec::new();
    let cc_echo = match obj.get("ccRecipients") {
        None | Some(Value::Null) => empty_cc,
        Some(Value::Array(list)) if list.is_empty() => empty_cc,
        Some(Value::Array(list)) => {
            for r in list {
                let addr = r
                    .get("emailAddress")
                    .and_then(|e| e.get("address"))
                    .cloned()
                    .unwrap_or(Value::Null);
                match addr {
                    Value::Null => {}
                    Value::String(a) => {
                        if !valid_email(&a) {
                            return Err(GraphError::bad_request(format!(
                                "The email address '{a}' in ccRecipients is not valid."
                            )));
                        }
                        cc.push(a);
                    }
                    other => return Err(bad_type(&other, "Edm.String")),
                }
            }
            Value::Array(list.clone())
        }
        Some(other) => return Err(bad_type(other, "Collection(microsoft.graph.recipient)")),
    };
    Ok(MessageInfo {
        echo: json!({"messageLanguage": language, "customizedMessageBody": body, "ccRecipients": cc_echo}),
        language,
        body,
        // Graph honours only one CC recipient.
        cc: cc.into_iter().take(1).collect(),
    })
}

fn unknown_property(name: &str, ty: &str) -> GraphError {
    GraphError::bad_request(format!(
        "The property '{name}' does not exist on type '{ty}'. Make sure to only use property names that are defined by the type or mark the type as open type."
    ))
}

async fn create_inner(app: AppState, req: Request) -> Result<Response, GraphError> {
    let (parts, body) = req.into_parts();
    let claims = authorize(&parts)?;
    if !claims.has_any_role(INVITE_ROLES) {
        return Err(unauthorized_invite(&claims.tid));
    }
    let v = read_json(&parts, body).await?;
    let Some(obj) = v.as_object() else {
        return Err(GraphError::unreadable_json());
    };
    for k in obj.keys() {
        if !k.starts_with('@') && !KNOWN.contains(&k.as_str()) {
            return Err(unknown_property(k, "microsoft.graph.invitation"));
        }
    }
    let email = opt_string(obj, "invitedUserEmailAddress")?
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            GraphError::bad_request("Missing required property 'invitedUserEmailAddress'.")
        })?;
    let redirect = opt_string(obj, "inviteRedirectUrl")?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| GraphError::bad_request("Missing required property 'inviteRedirectUrl'."))?;
    if !valid_email(&email) {
        return Err(GraphError::bad_request(format!(
            "The email address '{email}' is not valid."
        )));
    }
    if url::Url::parse(&redirect)
        .map(|u| u.cannot_be_a_base())
        .unwrap_or(true)
    {
        return Err(GraphError::bad_request(format!(
            "The inviteRedirectUrl '{redirect}' is not a valid absolute URL."
        )));
    }
    let display_name = opt_string(obj, "invitedUserDisplayName")?;
    let user_type = match opt_string(obj, "invitedUserType")? {
        None => "Guest".to_string(),
        Some(t) if t.eq_ignore_ascii_case("guest") => "Guest".to_string(),
        Some(t) if t.eq_ignore_ascii_case("member") => "Member".to_string(),
        Some(t) => {
            return Err(GraphError::bad_request(format!(
                "Invalid value '{t}' for invitedUserType. Allowed values are 'Guest' and 'Member'."
            )))
        }
    };
    let send = opt_bool(obj, "sendInvitationMessage")?;
    let reset = opt_bool(obj, "resetRedemption")?;
    let invited_user_id = match obj.get("invitedUser") {
        None | Some(Value::Null) => None,
        Some(Value::Object(u)) => opt_string(u, "id")?,
        Some(other) => return Err(bad_type(other, "microsoft.graph.user")),
    };
    let info = message_info(obj.get("invitedUserMessageInfo"))?;
    if reset && invited_user_id.is_none() {
        return Err(GraphError::bad_request(
            "The invitedUser.id property is required when resetRedemption is true.",
        ));
    }
    if reset && !claims.has_any_role(RESET_ROLES) {
        return Err(GraphError::new(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ));
    }
    let domain = email.rsplit_once('@').map(|(_, d)| d).unwrap_or("");

    let base = public_base(&app, &parts);
    let ver = version(&parts);
    let invitation_id = uuid::Uuid::new_v4().to_string();
    let ticket = new_ticket();

    let mut guard = lock(&app.data);
    let data = &mut *guard;
    let Some(tenant) = data.tenant_by_id_mut(&claims.tid) else {
        return Err(GraphError::new(
            401,
            "InvalidAuthenticationToken",
            "Access token validation failure. The tenant of the token does not exist.",
        ));
    };
    if tenant.is_verified_domain(domain) {
        return Err(GraphError::bad_request(
            "This user cannot be invited because the domain of the user's email address is a verified domain of this directory.",
        ));
    }
    // The allow/block list and cross-tenant access are checked at invitation time (§1.8),
    // re-invitations and resets included.
    if let Some(refusal) = tenant.policy.refusal(domain) {
        return Err(refusal);
    }

    let mut new_user = false;
    let idx = if reset {
        let id = invited_user_id.as_deref().unwrap_or_default();
        let idx = tenant
            .find_user(id)
            .ok_or_else(|| GraphError::user_not_found(id))?;
        let target_id = tenant
            .users
            .get(idx)
            .and_then(|u| str_of(u, "id"))
            .unwrap_or(id);
        if claims.idtyp == "app" && !tenant.roles_of(target_id).is_empty() {
            return Err(reset_of_role_holder());
        }
        if tenant.proxy_owner(&email, Some(idx)).is_some() {
            return Err(proxy_conflict());
        }
        let user = tenant
            .users
            .get_mut(idx)
            .ok_or_else(|| GraphError::user_not_found(id))?;
        let now = now_graph();
        let upn = str_of(user, "userPrincipalName").unwrap_or("").to_string();
        if let Some(o) = user.as_object_mut() {
            o.insert("externalUserState".into(), json!("PendingAcceptance"));
            o.insert("externalUserStateChangeDateTime".into(), json!(now));
            o.insert("creationType".into(), json!("Invitation"));
            if o.get("mail").map(Value::is_null).unwrap_or(true) {
                o.insert("mail".into(), json!(email));
            }
            let others = o.entry("otherMails").or_insert_with(|| json!([]));
            if let Some(list) = others.as_array_mut() {
                if !list
                    .iter()
                    .any(|m| m.as_str().is_some_and(|m| m.eq_ignore_ascii_case(&email)))
                {
                    list.push(json!(email));
                }
            }
            o.insert(
                "identities".into(),
                json!([{"signInType": "userPrincipalName", "issuer": tenant.initial_domain, "issuerAssignedId": upn}]),
            );
        }
        tenant.reindex();
        idx
    } else if let Some(idx) = tenant.find_by_email(&email) {
        let user = tenant.users.get(idx).cloned().unwrap_or(Value::Null);
        let id = str_of(&user, "id").unwrap_or("").to_string();
        let invited = str_of(&user, "creationType") == Some("Invitation")
            || str_of(&user, "userType") == Some("Guest");
        if !invited {
            if user.get("accountEnabled") == Some(&Value::Bool(false)) {
                return Err(GraphError::bad_request(format!("The invited user already exists in the directory as object ID: {id}, but the account is blocked from signing in. If the account is unblocked, they can use that account to sign in to shared apps and resources.")));
            }
            return Err(GraphError::bad_request(format!("The invited user already exists in the directory as objectID: {id}. They can use that account to sign in to shared apps and resources.")));
        }
        idx
    } else if tenant.proxy_owner(&email, None).is_some() {
        return Err(proxy_conflict());
    } else {
        let user = guest_user(tenant, &email, display_name.as_deref(), &user_type);
        new_user = true;
        if let Some(id) = str_of(&user, "id") {
            tenant
                .created
                .insert(id.to_string(), std::time::Instant::now());
        }
        tenant.insert_user(user)
    };

    let user = tenant.users.get(idx).cloned().unwrap_or(Value::Null);
    let user_id = str_of(&user, "id").unwrap_or("").to_string();
    // A new ticket replaces the old one: earlier redeem URLs stop working.
    tenant.tickets.insert(user_id.clone(), ticket.clone());
    let redeem = redeem_url(&tenant.id, &invitation_id, &ticket);
    let status = if str_of(&user, "externalUserState") == Some("Accepted") {
        "Completed"
    } else {
        "PendingAcceptance"
    };
    if send {
        data.outbox.push(json!({
            "to": email,
            "cc": info.cc,
            "language": info.language.clone().unwrap_or_else(|| "en-US".to_string()),
            "customizedMessageBody": info.body,
            "inviteRedeemUrl": redeem,
            "tenant": claims.tid,
            "invitationId": invitation_id,
            "userId": user_id,
            "sentDateTime": now_graph(),
        }));
    }
    drop(guard);
    let mut counters = lock(&app.counters);
    counters.invitations_created += 1;
    counters.users_created += u64::from(new_user);
    drop(counters);

    let body = json!({
        "@odata.context": format!("{base}/{ver}/$metadata#invitations/$entity"),
        "id": invitation_id,
        "inviteRedeemUrl": redeem,
        "invitedUserDisplayName": display_name,
        "invitedUserType": user_type,
        "invitedUserEmailAddress": email,
        "sendInvitationMessage": send,
        "resetRedemption": reset,
        "inviteRedirectUrl": redirect,
        "status": status,
        "invitedUserMessageInfo": info.echo,
        "invitedUser": {"id": user_id, "userPrincipalName": str_of(&user, "userPrincipalName")},
    });
    Ok(graph_json(StatusCode::CREATED, &body))
}
