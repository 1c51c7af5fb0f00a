//! Reading the control API's arguments: JSON object bodies, typed fields with the control
//! API's own error texts, and the `tenant` selector. Every control route reads its input
//! through these, so the routes need not import each other.

use axum::extract::{FromRequest, Request};
use http::request::Parts;
use serde_json::{json, Map, Value};

use crate::graph_error::GraphError;
use crate::request::{query_pairs, read_body};
use crate::state::{Data, Tenant};

/// A control argument the API refuses: 400 with the reason.
pub fn bad(msg: impl Into<String>) -> GraphError {
    GraphError::bad_request(msg)
}

/// 409: what the body would create exists already.
pub fn conflict(msg: &str) -> GraphError {
    GraphError::new(409, "Conflict", msg)
}

/// Control bodies: JSON objects; an empty body is an empty object.
pub async fn body_object(req: Request) -> Result<(Parts, Map<String, Value>), GraphError> {
    let (parts, body) = req.into_parts();
    let bytes = read_body(body).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok((parts, Map::new()));
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(o)) => Ok((parts, o)),
        Ok(_) => Err(bad("The body must be a JSON object.")),
        Err(e) => Err(bad(format!("Invalid JSON: {e}"))),
    }
}

/// The arguments of a control route: the request's parts and its JSON object body (read
/// by [`body_object`]); a body the API refuses is answered before the route runs.
pub struct ControlBody(pub Parts, pub Map<String, Value>);

impl<S: Send + Sync> FromRequest<S> for ControlBody {
    type Rejection = GraphError;

    async fn from_request(req: Request, _: &S) -> Result<Self, GraphError> {
        let (parts, o) = body_object(req).await?;
        Ok(ControlBody(parts, o))
    }
}

/// An optional string field (null counts as absent).
pub fn get_str(o: &Map<String, Value>, k: &str) -> Result<Option<String>, GraphError> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad(format!("'{k}' must be a string."))),
    }
}

/// A string field that must be present and not empty.
pub fn required_str(o: &Map<String, Value>, k: &str) -> Result<String, GraphError> {
    get_str(o, k)?
        .filter(|s| !s.is_empty())
        .ok_or_else(|| bad(format!("'{k}' is required.")))
}

/// An optional list of strings (null counts as absent).
pub fn opt_strings(o: &Map<String, Value>, k: &str) -> Result<Option<Vec<String>>, GraphError> {
    match o.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value(v.clone())
            .map(Some)
            .map_err(|_| bad(format!("'{k}' must be an array of strings."))),
    }
}

/// `expiresInSecs` of a token the control API mints; an hour when absent.
pub fn expires_in_secs(o: &Map<String, Value>) -> Result<i64, GraphError> {
    match o.get("expiresInSecs") {
        None | Some(Value::Null) => Ok(3600),
        Some(v) => v
            .as_i64()
            .ok_or_else(|| bad("'expiresInSecs' must be an integer.")),
    }
}

/// The `?tenant=…` of a GET or DELETE, as the selector a body would hold.
pub fn query_selector(parts: &Parts) -> Map<String, Value> {
    let tenant = query_pairs(parts)
        .into_iter()
        .find(|(k, _, _)| k == "tenant")
        .map(|(_, t, _)| t);
    selector(tenant)
}

/// A selector object naming `tenant`, or the default tenant when `None`.
pub fn selector(tenant: Option<String>) -> Map<String, Value> {
    let mut o = Map::new();
    if let Some(t) = tenant {
        o.insert("tenant".into(), json!(t));
    }
    o
}

/// Index of the tenant the object's `tenant` field names (the default one when absent).
pub fn tenant_idx(data: &Data, o: &Map<String, Value>) -> Result<usize, GraphError> {
    let name = get_str(o, "tenant")?;
    data.tenant_index(name.as_deref()).ok_or_else(|| {
        GraphError::new(
            404,
            "NotFound",
            format!("Tenant '{}' not found.", name.unwrap_or_default()),
        )
    })
}

/// The tenant the object's `tenant` field names.
pub fn tenant<'d>(data: &'d Data, o: &Map<String, Value>) -> Result<&'d Tenant, GraphError> {
    let i = tenant_idx(data, o)?;
    data.tenants.get(i).ok_or_else(vanished)
}

/// The tenant the object's `tenant` field names, to change.
pub fn tenant_mut<'d>(
    data: &'d mut Data,
    o: &Map<String, Value>,
) -> Result<&'d mut Tenant, GraphError> {
    let i = tenant_idx(data, o)?;
    data.tenants.get_mut(i).ok_or_else(vanished)
}

fn vanished() -> GraphError {
    bad("tenant vanished")
}
