//! Control API for what can refuse an invitation besides the user data: the tenant's
//! invitation policy (`/_emulator/policy`) and other directory objects holding
//! proxyAddresses (`/_emulator/objects`).

use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use http::StatusCode;
use serde_json::{json, Value};

use super::control_args::{
    bad, conflict, get_str, query_selector, selector, tenant, tenant_mut, ControlBody,
};
use crate::policy::InvitePolicy;
use crate::reply::{plain_json, respond, Reply};
use crate::state::AppState;
use crate::sync::lock;

/// `/_emulator/policy` and `/_emulator/objects`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/policy",
            get(get_policy)
                .post(set_policy)
                .put(set_policy)
                .delete(clear_policy),
        )
        .route("/objects", post(objects))
}

/// `GET /_emulator/policy[?tenant=…]`.
async fn get_policy(State(app): State<AppState>, req: Request) -> Response {
    respond((|| {
        let (parts, _) = req.into_parts();
        let data = lock(&app.data);
        let t = tenant(&data, &query_selector(&parts))?;
        Ok(plain_json(StatusCode::OK, &json!(t.policy)))
    })())
}

/// `POST|PUT /_emulator/policy`: replaces the tenant's policy.
async fn set_policy(State(app): State<AppState>, ControlBody(_, mut o): ControlBody) -> Reply {
    let name = get_str(&o, "tenant")?;
    o.remove("tenant");
    let policy: InvitePolicy = serde_json::from_value(Value::Object(o))
        .map_err(|e| bad(format!("Invalid policy: {e}")))?;
    policy.validate().map_err(bad)?;
    let mut data = lock(&app.data);
    let t = tenant_mut(&mut data, &selector(name))?;
    t.policy = policy.clone();
    Ok(plain_json(StatusCode::OK, &json!(policy)))
}

/// `DELETE /_emulator/policy[?tenant=…]`: no list, no blocks.
async fn clear_policy(State(app): State<AppState>, req: Request) -> Response {
    respond((|| {
        let (parts, _) = req.into_parts();
        let mut data = lock(&app.data);
        let t = tenant_mut(&mut data, &query_selector(&parts))?;
        t.policy = InvitePolicy::default();
        Ok(plain_json(StatusCode::OK, &json!(t.policy)))
    })())
}

const OBJECT_TYPES: &[&str] = &["#microsoft.graph.group", "#microsoft.graph.orgContact"];

/// `POST /_emulator/objects` `{ "tenant"?, "@odata.type"?, "id"?, "displayName"?,
/// "proxyAddresses": ["SMTP:…"] }`: a group (default) or org contact.
async fn objects(State(app): State<AppState>, ControlBody(_, mut o): ControlBody) -> Reply {
    let mut data = lock(&app.data);
    let t = tenant_mut(&mut data, &o)?;
    o.remove("tenant");
    let ty = get_str(&o, "@odata.type")?.unwrap_or_else(|| OBJECT_TYPES[0].to_string());
    if !OBJECT_TYPES.contains(&ty.as_str()) {
        return Err(bad(format!(
            "'@odata.type' must be one of {}.",
            OBJECT_TYPES.join(", ")
        )));
    }
    let proxies: Vec<String> = match o.get("proxyAddresses") {
        Some(v) => serde_json::from_value(v.clone()).ok(),
        None => None,
    }
    .filter(|l: &Vec<String>| !l.is_empty())
    .ok_or_else(|| bad("'proxyAddresses' must be a non-empty array of strings."))?;
    let id = get_str(&o, "id")?.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    o.insert("@odata.type".into(), json!(ty));
    o.insert("id".into(), json!(id));
    o.insert("proxyAddresses".into(), json!(proxies));
    if t.objects
        .iter()
        .any(|x| x.get("id").and_then(Value::as_str) == Some(id.as_str()))
    {
        return Err(conflict("An object with this id already exists."));
    }
    let out = Value::Object(o);
    t.objects.push(out.clone());
    Ok(plain_json(StatusCode::CREATED, &out))
}
