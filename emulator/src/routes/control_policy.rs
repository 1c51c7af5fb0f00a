//! Control API for what can refuse an invitation besides the user data: the tenant's
//! invitation policy (`/_emulator/policy`) and other directory objects holding
//! proxyAddresses (`/_emulator/objects`).

use axum::extract::{Request, State};
use axum::response::Response;
use http::StatusCode;
use serde_json::{json, Map, Value};

use super::control::{bad, body_object, get_str, tenant_idx};
use super::{query_pairs, respond};
use crate::graph_error::{plain_json, GraphError};
use crate::policy::InvitePolicy;
use crate::state::AppState;
use crate::sync::lock;

/// `GET /_emulator/policy[?tenant=…]`.
pub async fn get(State(app): State<AppState>, req: Request) -> Response {
    respond((|| {
        let (parts, _) = req.into_parts();
        let mut o = Map::new();
        if let Some((_, t, _)) = query_pairs(&parts)
            .into_iter()
            .find(|(k, _, _)| k == "tenant")
        {
            o.insert("tenant".into(), json!(t));
        }
        let data = lock(&app.data);
        let i = tenant_idx(&data, &o)?;
        let t = data.tenants.get(i).ok_or_else(|| bad("tenant vanished"))?;
        Ok(plain_json(StatusCode::OK, &json!(t.policy)))
    })())
}

/// `POST|PUT /_emulator/policy`: replaces the tenant's policy.
pub async fn set(State(app): State<AppState>, req: Request) -> Response {
    respond(
        async {
            let (_, mut o) = body_object(req).await?;
            let tenant = get_str(&o, "tenant")?;
            o.remove("tenant");
            let policy: InvitePolicy = serde_json::from_value(Value::Object(o))
                .map_err(|e| bad(format!("Invalid policy: {e}")))?;
            policy.validate().map_err(bad)?;
            let mut data = lock(&app.data);
            let mut sel = Map::new();
            if let Some(t) = tenant {
                sel.insert("tenant".into(), json!(t));
            }
            let i = tenant_idx(&data, &sel)?;
            let t = data
                .tenants
                .get_mut(i)
                .ok_or_else(|| bad("tenant vanished"))?;
            t.policy = policy.clone();
            Ok(plain_json(StatusCode::OK, &json!(policy)))
        }
        .await,
    )
}

/// `DELETE /_emulator/policy[?tenant=…]`: no list, no blocks.
pub async fn clear(State(app): State<AppState>, req: Request) -> Response {
    respond((|| {
        let (parts, _) = req.into_parts();
        let mut o = Map::new();
        if let Some((_, t, _)) = query_pairs(&parts)
            .into_iter()
            .find(|(k, _, _)| k == "tenant")
        {
            o.insert("tenant".into(), json!(t));
        }
        let mut data = lock(&app.data);
        let i = tenant_idx(&data, &o)?;
        let t = data
            .tenants
            .get_mut(i)
            .ok_or_else(|| bad("tenant vanished"))?;
        t.policy = InvitePolicy::default();
        Ok(plain_json(StatusCode::OK, &json!(t.policy)))
    })())
}

const OBJECT_TYPES: &[&str] = &["#microsoft.graph.group", "#microsoft.graph.orgContact"];

/// `POST /_emulator/objects` `{ "tenant"?, "@odata.type"?, "id"?, "displayName"?,
/// "proxyAddresses": ["SMTP:…"] }`: a group (default) or org contact.
pub async fn objects(State(app): State<AppState>, req: Request) -> Response {
    respond(
        async {
            let (_, mut o) = body_object(req).await?;
            let mut data = lock(&app.data);
            let i = tenant_idx(&data, &o)?;
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
            let t = data
                .tenants
                .get_mut(i)
                .ok_or_else(|| bad("tenant vanished"))?;
            if t.objects
                .iter()
                .any(|x| x.get("id").and_then(Value::as_str) == Some(id.as_str()))
            {
                return Err(GraphError::new(
                    409,
                    "Conflict",
                    "An object with this id already exists.",
                ));
            }
            let out = Value::Object(o);
            t.objects.push(out.clone());
            Ok(plain_json(StatusCode::CREATED, &out))
        }
        .await,
    )
}
