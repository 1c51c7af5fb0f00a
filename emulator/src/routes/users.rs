//! `GET /users` (OData subset), `GET /users/$count`, `GET /users/{id|upn}`.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use base64::Engine;
use http::request::Parts;
use http::{HeaderValue, StatusCode};
use serde_json::{json, Map, Value};

use super::users_order::{compare, parse_orderby};
use crate::graph_error::GraphError;
use crate::jwt::AccessClaims;
use crate::odata::{self, Filter};
use crate::reply::{graph_json, respond};
use crate::request::{authorize, eventual, public_base, query_pairs, version};
use crate::resource_unit;
use crate::state::{AppState, Tenant};
use crate::sync::lock;

const READ_ROLES: &[&str] = &[
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

const MAX_TOP: usize = 999;
const DEFAULT_TOP: usize = 100;

fn check_read(claims: &AccessClaims) -> Result<(), GraphError> {
    if claims.has_any_role(READ_ROLES) {
        Ok(())
    } else {
        Err(GraphError::new(
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ))
    }
}

fn tenant_gone() -> GraphError {
    GraphError::new(
        401,
        "InvalidAuthenticationToken",
        "Access token validation failure. The tenant of the token does not exist.",
    )
}

/// The query options this route understands, `$` optional as on beta.
#[derive(Default)]
struct Options {
    filter: Option<String>,
    select: Option<String>,
    top: Option<String>,
    skiptoken: Option<String>,
    count: Option<String>,
    search: Option<String>,
    orderby: Option<String>,
    skip: bool,
    /// Raw pairs other than `$skiptoken`, kept for the nextLink.
    keep: Vec<String>,
}

fn options(parts: &Parts) -> Options {
    let mut o = Options::default();
    for (k, v, raw) in query_pairs(parts) {
        let name = k.trim_start_matches('$').to_ascii_lowercase();
        if name != "skiptoken" {
            o.keep.push(raw);
        }
        match name.as_str() {
            "filter" => o.filter = Some(v),
            "select" => o.select = Some(v),
            "top" => o.top = Some(v),
            "skiptoken" => o.skiptoken = Some(v),
            "count" => o.count = Some(v),
            "search" => o.search = Some(v),
            "orderby" => o.orderby = Some(v).filter(|v| !v.trim().is_empty()),
            "skip" => o.skip = true,
            _ => {}
        }
    }
    o
}

/// The parsed, checked `$filter`; `advanced` says whether the advanced-query pair was sent.
/// `$filter` with `$orderby` is an advanced query too (§2.1): without it Graph answers
/// "Sorting not supported for current query." (microsoft-graph-docs-contrib#4187).
fn filter_of(o: &Options, advanced: bool) -> Result<Option<Filter>, GraphError> {
    let Some(text) = o.filter.as_deref() else {
        return Ok(None);
    };
    let f = odata::parse_filter(text)?;
    f.check_query(advanced)?;
    if o.orderby.is_some() && !advanced {
        return Err(GraphError::unsupported_query(
            "Sorting not supported for current query.",
        ));
    }
    Ok(Some(f))
}

fn select_of(o: &Options) -> Result<Option<Vec<String>>, GraphError> {
    match o.select.as_deref() {
        None => Ok(None),
        // A blank `$select=` means no `$select`.
        Some(s) => Ok(Some(odata::parse_select(s)?).filter(|v| !v.is_empty())),
    }
}

fn project(user: &Value, select: Option<&[String]>) -> Value {
    let mut out = Map::new();
    match select {
        Some(props) => {
            for p in props {
                if let Some((k, v)) = user
                    .as_object()
                    .and_then(|o| o.iter().find(|(k, _)| k.eq_ignore_ascii_case(p)))
                {
                    out.insert(k.clone(), v.clone());
                } else {
                    out.insert(p.clone(), Value::Null);
                }
            }
        }
        None => {
            for p in odata::DEFAULT_USER_PROPERTIES {
                out.insert(
                    (*p).to_string(),
                    user.get(*p).cloned().unwrap_or(Value::Null),
                );
            }
        }
    }
    Value::Object(out)
}

fn context(base: &str, ver: &str, select: Option<&[String]>, entity: bool) -> String {
    let sel = select
        .map(|s| format!("({})", s.join(",")))
        .unwrap_or_default();
    let ent = if entity { "/$entity" } else { "" };
    format!("{base}/{ver}/$metadata#users{sel}{ent}")
}

/// `$search="displayName:taylor" AND "mail:fab"`: each term matches the start of any word of
/// the property, case-insensitively (Graph's tokenized search on directory objects).
struct Search {
    terms: Vec<(String, String)>,
    all: bool,
}

const SEARCHABLE: &[&str] = &[
    "displayName",
    "givenName",
    "surname",
    "mail",
    "userPrincipalName",
    "mailNickname",
];

fn parse_search(raw: &str) -> Result<Search, GraphError> {
    let invalid = || {
        GraphError::new(
            400,
            "Request_UnsupportedQuery",
            format!("Invalid $search query: {raw}"),
        )
    };
    let (parts, all) = if raw.contains(" OR ") && !raw.contains(" AND ") {
        (raw.split(" OR ").collect::<Vec<_>>(), false)
    } else {
        (raw.split(" AND ").collect::<Vec<_>>(), true)
    };
    let mut terms = Vec::new();
    for p in parts {
        let p = p.trim();
        let inner = p
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .ok_or_else(invalid)?;
        let (prop, term) = inner.split_once(':').ok_or_else(invalid)?;
        let prop = SEARCHABLE
            .iter()
            .find(|s| s.eq_ignore_ascii_case(prop.trim()))
            .ok_or_else(invalid)?;
        terms.push(((*prop).to_string(), term.trim().to_lowercase()));
    }
    Ok(Search { terms, all })
}

impl Search {
    fn matches(&self, user: &Value) -> bool {
        let hit = |(prop, term): &(String, String)| {
            let Some(v) = user.get(prop).and_then(Value::as_str) else {
                return false;
            };
            let v = v.to_lowercase();
            v.starts_with(term.as_str())
                || v.split(|c: char| !c.is_alphanumeric())
                    .any(|w| w.starts_with(term.as_str()))
        };
        if self.all {
            self.terms.iter().all(hit)
        } else {
            self.terms.iter().any(hit)
        }
    }
}

const TOKEN_PREFIX: &str = "emu1:";

fn encode_skiptoken(tenant: &str, next: usize) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("{TOKEN_PREFIX}{tenant}:{next}"))
}

fn decode_skiptoken(tenant: &str, token: &str) -> Option<usize> {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim())
        .ok()?;
    let s = String::from_utf8(raw).ok()?;
    let rest = s.strip_prefix(TOKEN_PREFIX)?;
    let (t, n) = rest.rsplit_once(':')?;
    if !t.eq_ignore_ascii_case(tenant) {
        return None;
    }
    n.parse().ok()
}

/// Users a list query sees: those matching, minus guests created less than `lag` ago (queries
/// are eventually consistent, so a new guest can take a moment to show up).
fn matching<'a>(
    tenant: &'a Tenant,
    filter: Option<&'a Filter>,
    search: Option<&'a Search>,
    from: usize,
    lag: Duration,
) -> impl Iterator<Item = (usize, &'a Value)> + 'a {
    tenant
        .users
        .iter()
        .enumerate()
        .skip(from)
        .filter(move |(_, u)| {
            lag.is_zero()
                || u.get("id")
                    .and_then(Value::as_str)
                    .and_then(|id| tenant.created.get(id))
                    .is_none_or(|c| c.elapsed() >= lag)
        })
        .filter(move |(_, u)| filter.is_none_or(|f| f.matches(u)))
        .filter(move |(_, u)| search.is_none_or(|s| s.matches(u)))
}

/// One users request: the caller must be allowed to read users, and the answer, error or
/// not, carries what the request cost (`collection` for `GET /users` itself).
fn answer(app: &AppState, req: Request, collection: bool, inner: Inner) -> Response {
    let (parts, _) = req.into_parts();
    let cost = resource_unit::users_cost(&parts, collection);
    let resp = respond(authorize(&parts).and_then(|claims| {
        check_read(&claims)?;
        inner(app, &parts, &claims)
    }));
    resource_unit::stamp(resp, cost)
}

type Inner = fn(&AppState, &Parts, &AccessClaims) -> Result<Response, GraphError>;

pub async fn list(State(app): State<AppState>, req: Request) -> Response {
    answer(&app, req, true, |app, parts, claims| {
        let o = options(parts);
        if o.skip {
            return Err(GraphError::new(
                400,
                "Request_BadRequest",
                "'$skip' is not supported by the service.",
            ));
        }
        let eventual = eventual(parts);
        let count_requested = o
            .count
            .as_deref()
            .is_some_and(|c| c.trim().eq_ignore_ascii_case("true"));
        if let Some(c) = o.count.as_deref() {
            if !c.trim().eq_ignore_ascii_case("true") && !c.trim().eq_ignore_ascii_case("false") {
                return Err(GraphError::new(
                    400,
                    "Request_BadRequest",
                    format!(
                        "Invalid value '{c}' for $count. Allowed values are 'true' and 'false'."
                    ),
                ));
            }
        }
        let advanced = eventual && count_requested;
        if o.search.is_some() && !eventual {
            return Err(GraphError::unsupported_query("Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'"));
        }
        let top = match o.top.as_deref() {
            None => DEFAULT_TOP,
            Some(t) => match t.trim().parse::<i64>() {
                Ok(n) if (1..=MAX_TOP as i64).contains(&n) => n as usize,
                _ => {
                    return Err(GraphError::new(
                        400,
                        "Request_BadRequest",
                        format!("Invalid page size specified: '{t}'. Must be between 1 and {MAX_TOP} inclusive."),
                    ))
                }
            },
        };
        let order = o
            .orderby
            .as_deref()
            .map(parse_orderby)
            .transpose()?
            .unwrap_or_default();
        let filter = filter_of(&o, advanced)?;
        let select = select_of(&o)?;
        let search = o.search.as_deref().map(parse_search).transpose()?;

        let (page, next, total, tenant_id) = {
            let lag = Duration::from_millis(lock(&app.faults).faults.replication_lag_ms);
            let data = lock(&app.data);
            let tenant = data.tenant_by_id(&claims.tid).ok_or_else(tenant_gone)?;
            let start = match o.skiptoken.as_deref() {
                None => 0,
                Some(t) => decode_skiptoken(&tenant.id, t).ok_or_else(|| {
                    GraphError::new(
                        400,
                        "Request_BadRequest",
                        "The specified page token value is invalid or has expired.",
                    )
                })?,
            };
            let first_page = o.skiptoken.is_none();
            let (page, next, total) = if order.is_empty() {
                // The skiptoken holds the index of the next user in directory order.
                let mut iter = matching(tenant, filter.as_ref(), search.as_ref(), start, lag);
                let page: Vec<Value> = iter
                    .by_ref()
                    .take(top)
                    .map(|(_, u)| project(u, select.as_deref()))
                    .collect();
                let next = iter.next().map(|(i, _)| i);
                let total = (advanced && first_page)
                    .then(|| matching(tenant, filter.as_ref(), search.as_ref(), 0, lag).count());
                (page, next, total)
            } else {
                // Sorted: the skiptoken holds the offset into the sorted result.
                let mut all: Vec<&Value> =
                    matching(tenant, filter.as_ref(), search.as_ref(), 0, lag)
                        .map(|(_, u)| u)
                        .collect();
                all.sort_by(|a, b| compare(a, b, &order));
                let page: Vec<Value> = all
                    .iter()
                    .skip(start)
                    .take(top)
                    .map(|u| project(u, select.as_deref()))
                    .collect();
                let end = start.saturating_add(top);
                let next = (end < all.len()).then_some(end);
                let total = (advanced && first_page).then_some(all.len());
                (page, next, total)
            };
            (page, next, total, tenant.id.clone())
        };

        let base = public_base(app, parts);
        let ver = version(parts);
        let mut body = Map::new();
        body.insert(
            "@odata.context".into(),
            json!(context(&base, ver, select.as_deref(), false)),
        );
        if let Some(n) = total {
            body.insert("@odata.count".into(), json!(n));
        }
        if let Some(next) = next {
            let mut q = o.keep.clone();
            q.push(format!("$skiptoken={}", encode_skiptoken(&tenant_id, next)));
            body.insert(
                "@odata.nextLink".into(),
                json!(format!("{base}/{ver}/users?{}", q.join("&"))),
            );
        }
        body.insert("value".into(), Value::Array(page));
        Ok(graph_json(StatusCode::OK, &Value::Object(body)))
    })
}

pub async fn count(State(app): State<AppState>, req: Request) -> Response {
    answer(&app, req, false, |app, parts, claims| {
        if !eventual(parts) {
            return Err(GraphError::new(
                400,
                "Request_BadRequest",
                "$count is not currently supported.",
            ));
        }
        let o = options(parts);
        let filter = filter_of(&o, true)?;
        let search = o.search.as_deref().map(parse_search).transpose()?;
        let lag = Duration::from_millis(lock(&app.faults).faults.replication_lag_ms);
        let data = lock(&app.data);
        let tenant = data.tenant_by_id(&claims.tid).ok_or_else(tenant_gone)?;
        let n = matching(tenant, filter.as_ref(), search.as_ref(), 0, lag).count();
        drop(data);
        let mut resp = Response::new(Body::from(n.to_string()));
        resp.headers_mut().insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain"),
        );
        Ok(resp)
    })
}

pub async fn get_one(State(app): State<AppState>, req: Request) -> Response {
    answer(&app, req, false, |app, parts, claims| {
        let raw = parts
            .uri
            .path()
            .rsplit_once("/users/")
            .map(|(_, r)| r)
            .unwrap_or("");
        let key = percent_encoding::percent_decode_str(raw)
            .decode_utf8_lossy()
            .into_owned();
        // `/users('id')` is the key-as-segment alternative some clients use.
        let key = key
            .strip_prefix("('")
            .and_then(|k| k.strip_suffix("')"))
            .map(|k| k.replace("''", "'"))
            .unwrap_or(key);
        let o = options(parts);
        let select = select_of(&o)?;
        let lag = lock(&app.faults).faults.replication_lag_ms;
        let data = lock(&app.data);
        let tenant = data.tenant_by_id(&claims.tid).ok_or_else(tenant_gone)?;
        let user = tenant
            .find_user(&key)
            .and_then(|i| tenant.users.get(i))
            .ok_or_else(|| GraphError::user_not_found(&key))?;
        if lag > 0 {
            let id = user.get("id").and_then(Value::as_str).unwrap_or("");
            if let Some(created) = tenant.created.get(id) {
                if created.elapsed() < Duration::from_millis(lag) {
                    return Err(GraphError::user_not_found(&key));
                }
            }
        }
        let mut body = project(user, select.as_deref());
        drop(data);
        if let Some(o) = body.as_object_mut() {
            let ctx = context(
                &public_base(app, parts),
                version(parts),
                select.as_deref(),
                true,
            );
            let mut with_ctx = Map::new();
            with_ctx.insert("@odata.context".into(), json!(ctx));
            with_ctx.extend(std::mem::take(o));
            *o = with_ctx;
        }
        Ok(graph_json(StatusCode::OK, &body))
    })
}
