//! `POST /$batch`: up to 20 requests with relative URLs, dispatched through the same router
//! (so auth, faults and throttling apply per item); `dependsOn` chains, 424 on a failed
//! dependency.

use std::collections::{HashMap, HashSet};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{json, Map, Value};
use tower::ServiceExt;

use crate::fault_layer::BatchItem;
use crate::graph_error::GraphError;
use crate::reply::{graph_json, respond};
use crate::request::{read_json, version, BODY_LIMIT};
use crate::state::AppState;
use crate::sync::lock;

const MAX_ITEMS: usize = 20;

struct Item {
    id: String,
    method: String,
    url: String,
    headers: Map<String, Value>,
    body: Option<Value>,
    depends_on: Vec<String>,
}

pub async fn run(State(app): State<AppState>, req: Request) -> Response {
    respond(run_inner(app, req).await)
}

fn item_error(id: &str, status: u16, code: &str, message: &str) -> Value {
    let date = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
    let rid = uuid::Uuid::new_v4().to_string();
    json!({
        "id": id,
        "status": status,
        "headers": {"Content-Type": "application/json"},
        "body": {"error": {"code": code, "message": message,
                 "innerError": {"date": date, "request-id": rid, "client-request-id": rid}}}
    })
}

fn parse_items(v: &Value) -> Result<Vec<Item>, GraphError> {
    let invalid = || GraphError::bad_request("Invalid batch payload format.");
    let list = v
        .get("requests")
        .and_then(Value::as_array)
        .ok_or_else(invalid)?;
    if list.is_empty() {
        return Err(GraphError::bad_request(
            "Invalid batch payload format: the batch has no requests.",
        ));
    }
    if list.len() > MAX_ITEMS {
        return Err(GraphError::bad_request(format!(
            "The number of requests in the batch exceeds the limit of {MAX_ITEMS}."
        )));
    }
    let mut seen = HashSet::new();
    let mut items = Vec::new();
    for r in list {
        let id = match r.get("id") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(GraphError::bad_request("Each batch request needs an 'id'.")),
        };
        if !seen.insert(id.clone()) {
            return Err(GraphError::bad_request(format!(
                "The batch request id '{id}' is used more than once."
            )));
        }
        let method = r
            .get("method")
            .and_then(Value::as_str)
            .ok_or_else(invalid)?
            .to_ascii_uppercase();
        let url = r
            .get("url")
            .and_then(Value::as_str)
            .ok_or_else(invalid)?
            .to_string();
        let headers = match r.get("headers") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(h)) => h.clone(),
            Some(_) => return Err(invalid()),
        };
        let depends_on = match r.get("dependsOn") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(l)) => l
                .iter()
                .map(|d| d.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(invalid)?,
            Some(_) => return Err(invalid()),
        };
        for d in &depends_on {
            if !seen.contains(d) || d == &id {
                return Err(GraphError::bad_request(format!(
                    "The dependsOn id '{d}' does not refer to an earlier request in the batch."
                )));
            }
        }
        items.push(Item {
            id,
            method,
            url,
            headers,
            body: r.get("body").cloned().filter(|b| !b.is_null()),
            depends_on,
        });
    }
    Ok(items)
}

async fn run_inner(app: AppState, req: Request) -> Result<Response, GraphError> {
    let (parts, body) = req.into_parts();
    let v = read_json(&parts, body).await?;
    let items = parse_items(&v)?;
    let router = lock(&app.router)
        .clone()
        .ok_or_else(|| GraphError::for_status(503, None))?;
    let ver = version(&parts);
    let mut outer = HeaderMap::new();
    for h in [http::header::AUTHORIZATION, http::header::HOST] {
        if let Some(v) = parts.headers.get(&h) {
            outer.insert(h, v.clone());
        }
    }
    if let Some(c) = parts.headers.get("consistencylevel") {
        outer.insert(HeaderName::from_static("consistencylevel"), c.clone());
    }

    let sequential = items.iter().any(|i| !i.depends_on.is_empty());
    let mut responses = Vec::new();
    if sequential {
        let mut status: HashMap<String, u16> = HashMap::new();
        for item in &items {
            let failed = item
                .depends_on
                .iter()
                .any(|d| status.get(d).is_none_or(|s| *s >= 400));
            let r = if failed {
                item_error(
                    &item.id,
                    424,
                    "FailedDependency",
                    "The request was not run because a request it depends on failed.",
                )
            } else {
                dispatch(router.clone(), ver, item, &outer).await
            };
            let s = r.get("status").and_then(Value::as_u64).unwrap_or(500) as u16;
            status.insert(item.id.clone(), s);
            responses.push(r);
        }
    } else {
        let futs = items
            .iter()
            .map(|item| dispatch(router.clone(), ver, item, &outer));
        responses = futures_util::future::join_all(futs).await;
    }
    Ok(graph_json(StatusCode::OK, &json!({"responses": responses})))
}

async fn dispatch(router: axum::Router, ver: &str, item: &Item, outer: &HeaderMap) -> Value {
    let Ok(method) = Method::from_bytes(item.method.as_bytes()) else {
        return item_error(&item.id, 400, "BadRequest", "Invalid HTTP method.");
    };
    let url = item.url.trim();
    if url.contains("://") {
        return item_error(
            &item.id,
            400,
            "BadRequest",
            "Invalid request URL: batch request URLs must be relative.",
        );
    }
    let rel = url.trim_start_matches('/');
    let path = format!("/{ver}/{rel}");
    let mut builder = Request::builder().method(method).uri(path.as_str());
    for (k, v) in outer {
        builder = builder.header(k, v);
    }
    let mut has_ct = false;
    for (k, v) in &item.headers {
        let value = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let (Ok(name), Ok(val)) = (
            HeaderName::from_bytes(k.as_bytes()),
            HeaderValue::from_str(&value),
        ) else {
            return item_error(&item.id, 400, "BadRequest", "Invalid request header.");
        };
        has_ct |= name == http::header::CONTENT_TYPE;
        builder = builder.header(name, val);
    }
    let body = match &item.body {
        None => Body::empty(),
        Some(_) if !has_ct => {
            return item_error(
                &item.id,
                400,
                "BadRequest",
                "A Content-Type header is required for a request with a body.",
            )
        }
        Some(b) => Body::from(serde_json::to_vec(b).unwrap_or_default()),
    };
    let Ok(mut req) = builder.body(body) else {
        return item_error(&item.id, 400, "BadRequest", "Invalid request URL.");
    };
    req.extensions_mut().insert(BatchItem);
    let Ok(resp) = router.oneshot(req).await;
    let status = resp.status().as_u16();
    let mut headers = Map::new();
    for (name, label) in [
        (http::header::RETRY_AFTER, "Retry-After"),
        (http::header::CONTENT_TYPE, "Content-Type"),
        (http::header::LOCATION, "Location"),
        (
            HeaderName::from_static("x-ms-throttle-scope"),
            "x-ms-throttle-scope",
        ),
        (
            HeaderName::from_static("x-ms-throttle-information"),
            "x-ms-throttle-information",
        ),
        (
            HeaderName::from_static("x-ms-resource-unit"),
            "x-ms-resource-unit",
        ),
    ] {
        if let Some(v) = resp.headers().get(&name).and_then(|v| v.to_str().ok()) {
            headers.insert(label.into(), json!(v));
        }
    }
    let bytes = axum::body::to_bytes(resp.into_body(), BODY_LIMIT * 4)
        .await
        .unwrap_or_default();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    let mut out = json!({"id": item.id, "status": status, "headers": headers});
    if !body.is_null() {
        if let Some(o) = out.as_object_mut() {
            o.insert("body".into(), body);
        }
    }
    out
}
