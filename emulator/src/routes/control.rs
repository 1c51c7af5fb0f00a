//! The control API under `/_emulator/` (CONTROL_API.md): seeding, redeeming, outbox,
//! counters, faults, static tokens.

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use http::StatusCode;
use serde_json::{json, Value};

use super::control_args::{
    bad, conflict, expires_in_secs, get_str, opt_strings, required_str, tenant, tenant_mut,
    ControlBody,
};
use crate::counters::Counters;
use crate::defaults::DEFAULT_CLIENT_ID;
use crate::email::valid_email;
use crate::faults::{FaultState, Faults};
use crate::graph_error::GraphError;
use crate::redeem::ticket_from_url;
use crate::reply::{plain_json, Reply};
use crate::request::public_base;
use crate::state::{str_of, AppReg, AppState, Data, Domain, Federated, Tenant};
use crate::sync::lock;
use crate::user_defaults::{fill_missing, now_graph};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reset", post(reset))
        .route("/tenants", post(tenants))
        .route("/apps", post(apps))
        .route("/users", post(users))
        .route("/domains", post(domains))
        .route("/redeem", post(redeem))
        .route("/outbox", get(outbox))
        .route("/counters", get(counters))
        .route(
            "/faults",
            get(faults_get).put(faults_put).delete(faults_delete),
        )
        .route("/tokens", post(tokens))
        .route("/federated-token", post(federated_token))
}

fn tenant_json(t: &Tenant) -> Value {
    json!({"id": t.id, "initialDomain": t.initial_domain, "domains": t.domains})
}

async fn reset(State(app): State<AppState>) -> Response {
    *lock(&app.data) = Data::defaults();
    *lock(&app.counters) = Counters::default();
    *lock(&app.faults) = FaultState::new(app.start_faults.clone(), app.seed);
    lock(&app.throttler).reset_buckets();
    plain_json(StatusCode::OK, &json!({"reset": true}))
}

async fn tenants(State(app): State<AppState>, ControlBody(_, o): ControlBody) -> Reply {
    let initial = required_str(&o, "initialDomain")?;
    let id = get_str(&o, "id")?.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let verified: Vec<String> = match o.get("verifiedDomains") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(l)) => l
            .iter()
            .map(|d| d.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| bad("'verifiedDomains' must be strings."))?,
        Some(_) => return Err(bad("'verifiedDomains' must be an array.")),
    };
    let mut data = lock(&app.data);
    if data.tenants.iter().any(|t| {
        t.answers_to(&id) || t.answers_to(&initial) || verified.iter().any(|d| t.answers_to(d))
    }) {
        return Err(conflict("A tenant with this id or domain already exists."));
    }
    let t = Tenant::new(id, initial, &verified);
    let out = tenant_json(&t);
    data.tenants.push(t);
    Ok(plain_json(StatusCode::CREATED, &out))
}

async fn apps(State(app): State<AppState>, ControlBody(_, o): ControlBody) -> Reply {
    let client_id = required_str(&o, "clientId")?;
    let client_secret = get_str(&o, "clientSecret")?;
    let certificate_pem = get_str(&o, "certificatePem")?;
    if let Some(pem) = &certificate_pem {
        if !crate::assertion::certificate_usable(pem) {
            return Err(bad("'certificatePem' is not a PEM X.509 certificate."));
        }
    }
    let federated = match o.get("federated") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            serde_json::from_value::<Federated>(v.clone())
                .map_err(|e| bad(format!("'federated': {e}")))?,
        ),
    };
    let roles = opt_strings(&o, "roles")?.unwrap_or_default();
    let token_lifetime_secs = match o.get("tokenLifetimeSecs") {
        None | Some(Value::Null) => 3599,
        Some(v) => v
            .as_u64()
            .filter(|n| *n > 0)
            .ok_or_else(|| bad("'tokenLifetimeSecs' must be a positive integer."))?,
    };
    let reg = AppReg {
        client_id,
        client_secret,
        certificate_pem,
        federated,
        roles,
        token_lifetime_secs,
    };
    let mut data = lock(&app.data);
    let t = tenant_mut(&mut data, &o)?;
    t.apps
        .retain(|a| !a.client_id.eq_ignore_ascii_case(&reg.client_id));
    let mut out = serde_json::to_value(&reg).unwrap_or(Value::Null);
    if let Some(m) = out.as_object_mut() {
        m.insert("tenant".into(), json!(t.id));
    }
    t.apps.push(reg);
    Ok(plain_json(StatusCode::CREATED, &out))
}

async fn users(State(app): State<AppState>, ControlBody(_, mut o): ControlBody) -> Reply {
    let mut data = lock(&app.data);
    let t = tenant_mut(&mut data, &o)?;
    o.remove("tenant");
    // Directory roles are not a user property: kept beside the user (§1.5 reset rule).
    let roles = opt_strings(&o, "directoryRoles")?.unwrap_or_default();
    o.remove("directoryRoles");
    let mail = get_str(&o, "mail")?;
    let upn = match get_str(&o, "userPrincipalName")? {
        Some(u) => u,
        None => {
            let local = mail
                .as_deref()
                .and_then(|m| m.split_once('@'))
                .map(|(l, _)| l.to_string())
                .ok_or_else(|| bad("'userPrincipalName' or 'mail' is required."))?;
            format!("{local}@{}", t.initial_domain)
        }
    };
    if let Some(m) = &mail {
        if !valid_email(m) {
            return Err(bad(format!("'mail' is not a valid address: {m}")));
        }
    }
    let id = get_str(&o, "id")?.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    if t.find_user(&id).is_some() || t.find_user(&upn).is_some() {
        return Err(conflict(
            "A user with this id or userPrincipalName already exists.",
        ));
    }
    let now = now_graph();
    let local = upn.split('@').next().unwrap_or(&upn).to_string();
    let defaults = [
        ("id", json!(id)),
        ("userPrincipalName", json!(upn)),
        ("displayName", json!(local)),
        ("userType", json!("Member")),
        ("accountEnabled", json!(true)),
        ("createdDateTime", json!(now)),
        (
            "proxyAddresses",
            mail.as_ref()
                .map(|m| json!([format!("SMTP:{m}")]))
                .unwrap_or(json!([])),
        ),
        ("mailNickname", json!(local)),
        (
            "identities",
            json!([{"signInType": "userPrincipalName", "issuer": t.initial_domain, "issuerAssignedId": upn}]),
        ),
    ];
    for (k, v) in defaults {
        if o.get(k).is_none_or(Value::is_null) {
            o.insert(k.to_string(), v);
        }
    }
    if o.get("externalUserState").is_some_and(|s| !s.is_null())
        && o.get("externalUserStateChangeDateTime")
            .is_none_or(Value::is_null)
    {
        o.insert("externalUserStateChangeDateTime".into(), json!(now));
    }
    let mut user = Value::Object(o);
    fill_missing(&mut user);
    t.insert_user(user.clone());
    let mut out = user;
    if !roles.is_empty() {
        t.directory_roles
            .insert(id.to_ascii_lowercase(), roles.clone());
        if let Some(m) = out.as_object_mut() {
            m.insert("directoryRoles".into(), json!(roles));
        }
    }
    Ok(plain_json(StatusCode::CREATED, &out))
}

async fn domains(State(app): State<AppState>, ControlBody(_, o): ControlBody) -> Reply {
    let id = required_str(&o, "id")?;
    let verified = match o.get("isVerified") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(bad("'isVerified' must be a boolean.")),
    };
    let mut data = lock(&app.data);
    let t = tenant_mut(&mut data, &o)?;
    let d = Domain {
        id: id.clone(),
        is_verified: verified,
        is_initial: false,
        is_default: false,
    };
    t.domains
        .retain(|x| !x.id.eq_ignore_ascii_case(&id) || x.is_initial);
    if !t.domains.iter().any(|x| x.id.eq_ignore_ascii_case(&id)) {
        t.domains.push(d.clone());
    }
    Ok(plain_json(StatusCode::CREATED, &json!(d)))
}

async fn redeem(State(app): State<AppState>, ControlBody(_, o): ControlBody) -> Reply {
    let user_id = get_str(&o, "userId")?;
    let email = get_str(&o, "email")?;
    let url = get_str(&o, "inviteRedeemUrl")?;
    let mut data = lock(&app.data);
    let t = tenant_mut(&mut data, &o)?;
    let idx = match (&user_id, &email) {
        (Some(id), _) => t.find_user(id),
        (None, Some(e)) => t.find_by_email(e),
        (None, None) => return Err(bad("'userId' or 'email' is required.")),
    }
    .ok_or_else(|| {
        GraphError::user_not_found(user_id.as_deref().or(email.as_deref()).unwrap_or(""))
    })?;
    let user = t.users.get(idx).cloned().unwrap_or(Value::Null);
    let id = str_of(&user, "id").unwrap_or("").to_string();
    if user.get("externalUserState").is_none_or(Value::is_null) {
        return Err(bad("This user has no invitation to redeem."));
    }
    if let Some(url) = url {
        let presented = ticket_from_url(&url);
        if presented.is_none() || presented.as_ref() != t.tickets.get(&id) {
            return Err(GraphError::new(
                400,
                "InvalidTicket",
                "The invitation redeem URL is not valid any more: a newer invitation replaced it, or it was already redeemed.",
            ));
        }
    }
    let initial = t.initial_domain.clone();
    if let Some(u) = t.users.get_mut(idx).and_then(Value::as_object_mut) {
        if u.get("externalUserState").and_then(Value::as_str) != Some("Accepted") {
            u.insert("externalUserState".into(), json!("Accepted"));
            u.insert("externalUserStateChangeDateTime".into(), json!(now_graph()));
        }
        let upn = u
            .get("userPrincipalName")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        u.insert(
            "identities".into(),
            json!([
                {"signInType": "federated", "issuer": "ExternalAzureAD", "issuerAssignedId": null},
                {"signInType": "userPrincipalName", "issuer": initial, "issuerAssignedId": upn}
            ]),
        );
    }
    // Redeeming consumes the ticket.
    t.tickets.remove(&id);
    let out = t.users.get(idx).cloned().unwrap_or(Value::Null);
    Ok(plain_json(StatusCode::OK, &out))
}

async fn outbox(State(app): State<AppState>) -> Response {
    let out = lock(&app.data).outbox.clone();
    plain_json(StatusCode::OK, &Value::Array(out))
}

async fn counters(State(app): State<AppState>) -> Response {
    let c = lock(&app.counters).clone();
    plain_json(StatusCode::OK, &json!(c))
}

async fn faults_get(State(app): State<AppState>) -> Response {
    let f = lock(&app.faults).faults.clone();
    plain_json(StatusCode::OK, &json!(f))
}

async fn faults_put(State(app): State<AppState>, ControlBody(_, o): ControlBody) -> Reply {
    let f: Faults = serde_json::from_value(Value::Object(o))
        .map_err(|e| bad(format!("Invalid faults: {e}")))?;
    f.validate().map_err(bad)?;
    *lock(&app.faults) = FaultState::new(f.clone(), app.seed);
    lock(&app.throttler).reset_buckets();
    Ok(plain_json(StatusCode::OK, &json!(f)))
}

async fn faults_delete(State(app): State<AppState>) -> Response {
    *lock(&app.faults) = FaultState::new(Faults::default(), app.seed);
    lock(&app.throttler).reset_buckets();
    plain_json(StatusCode::OK, &json!(Faults::default()))
}

async fn tokens(State(app): State<AppState>, ControlBody(_, o): ControlBody) -> Reply {
    let client_id = get_str(&o, "clientId")?.unwrap_or_else(|| DEFAULT_CLIENT_ID.to_string());
    let expires = expires_in_secs(&o)?;
    let data = lock(&app.data);
    let t = tenant(&data, &o)?;
    let roles = match opt_strings(&o, "roles")? {
        Some(roles) => roles,
        None => t
            .app(&client_id)
            .map(|a| a.roles.clone())
            .unwrap_or_default(),
    };
    let token = crate::jwt::issue(&t.id, &client_id, &roles, expires)
        .ok_or_else(|| GraphError::new(500, "InternalServerError", "Could not sign a token."))?;
    Ok(plain_json(
        StatusCode::OK,
        &json!({"access_token": token, "expires_in": expires, "token_type": "Bearer"}),
    ))
}

async fn federated_token(State(app): State<AppState>, ControlBody(parts, o): ControlBody) -> Reply {
    let subject = required_str(&o, "subject")?;
    let audience = get_str(&o, "audience")?
        .unwrap_or_else(|| crate::assertion::DEFAULT_FEDERATED_AUDIENCE.to_string());
    let expires = expires_in_secs(&o)?;
    let now = crate::jwt::now_secs();
    let exp = now.saturating_add_signed(expires);
    let iss = format!("{}/_emulator/oidc", public_base(&app, &parts));
    let claims = json!({
        "iss": iss, "sub": subject, "aud": audience,
        "iat": now.min(exp), "nbf": now.min(exp), "exp": exp,
        "jti": uuid::Uuid::new_v4().to_string(),
    });
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(&app.oidc_key),
    )
    .map_err(|_| GraphError::new(500, "InternalServerError", "Could not sign a token."))?;
    Ok(plain_json(StatusCode::OK, &json!({"token": token})))
}
