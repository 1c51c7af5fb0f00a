//! `POST /{tenant}/oauth2/v2.0/token`: client credentials with a secret (form field or HTTP
//! Basic), a certificate assertion or a federated assertion. Errors are AADSTS-shaped.

use std::collections::HashMap;

use axum::extract::{Request, State};
use axum::response::Response;
use base64::Engine;
use http::{HeaderValue, StatusCode};
use serde_json::json;

use crate::assertion::{self, AadFailure, JWT_BEARER};
use crate::headers::ReqCtx;
use crate::reply::plain_json;
use crate::request::{public_base, read_body};
use crate::state::AppState;
use crate::sync::lock;

/// Graph resources whose `.default` scope the emulator accepts besides its own URL.
const GRAPH_RESOURCES: &[&str] = &[
    "https://graph.microsoft.com",
    "https://graph.microsoft.us",
    "https://dod-graph.microsoft.us",
    "https://microsoftgraph.chinacloudapi.cn",
    "00000003-0000-0000-c000-000000000000",
];

fn aad_error(ctx: Option<&ReqCtx>, failure: AadFailure) -> Response {
    let (status, error, code, message) = failure;
    let trace = ctx
        .map(|c| c.request_id.clone())
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let correlation = ctx
        .map(|c| c.client_request_id.clone())
        .unwrap_or_else(|| trace.clone());
    let ts = chrono::Utc::now().format("%Y-%m-%d %H:%M:%SZ").to_string();
    let body = json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {message}\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {ts}"),
        "error_codes": [code],
        "timestamp": ts,
        "trace_id": trace,
        "correlation_id": correlation,
        "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
    });
    let mut resp = plain_json(
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        &body,
    );
    no_store(&mut resp);
    resp
}

fn no_store(resp: &mut Response) {
    resp.headers_mut().insert(
        http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, no-cache"),
    );
    resp.headers_mut()
        .insert(http::header::PRAGMA, HeaderValue::from_static("no-cache"));
}

fn missing(param: &str) -> AadFailure {
    (
        400,
        "invalid_request",
        900144,
        format!("The request body must contain the following parameter: '{param}'."),
    )
}

pub async fn token(State(app): State<AppState>, req: Request) -> Response {
    let ctx = req.extensions().get::<ReqCtx>().cloned();
    lock(&app.counters).token_requests += 1;
    match token_inner(&app, req).await {
        Ok(r) => r,
        Err(f) => aad_error(ctx.as_ref(), f),
    }
}

fn check_scope(scope: &str, own: &[String]) -> Result<(), AadFailure> {
    let items: Vec<&str> = scope.split_whitespace().collect();
    let invalid = || {
        (
            400,
            "invalid_scope",
            70011,
            format!("The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid."),
        )
    };
    let [one] = items.as_slice() else {
        return Err(invalid());
    };
    let Some(resource) = one.strip_suffix("/.default") else {
        return Err((
            400,
            "invalid_scope",
            1002012,
            format!("The provided value for scope {one} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."),
        ));
    };
    let resource = resource.trim_end_matches('/');
    let known = GRAPH_RESOURCES
        .iter()
        .any(|r| r.eq_ignore_ascii_case(resource))
        || own
            .iter()
            .any(|b| b.trim_end_matches('/').eq_ignore_ascii_case(resource));
    if known {
        Ok(())
    } else {
        Err((
            400,
            "invalid_resource",
            500011,
            format!("The resource principal named {resource} was not found in the tenant. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."),
        ))
    }
}

async fn token_inner(app: &AppState, req: Request) -> Result<Response, AadFailure> {
    let (parts, body) = req.into_parts();
    let tenant_name = parts
        .uri
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .map(|t| {
            percent_encoding::percent_decode_str(t)
                .decode_utf8_lossy()
                .into_owned()
        })
        .unwrap_or_default();
    let own_base = vec![app.base_url(), public_base(app, &parts)];

    let is_form = parts
        .headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| {
            c.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    let bytes = read_body(body).await.map_err(|_| missing("grant_type"))?;
    let mut form: HashMap<String, String> = HashMap::new();
    if is_form {
        for (k, v) in url::form_urlencoded::parse(&bytes) {
            form.entry(k.into_owned()).or_insert_with(|| v.into_owned());
        }
    }
    // RFC 6749 client_secret_basic: form-urlencoded id and secret in the Basic header.
    let basic = parts
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.trim().split_once(' ')?;
            if !scheme.eq_ignore_ascii_case("basic") {
                return None;
            }
            let raw = base64::engine::general_purpose::STANDARD
                .decode(rest.trim())
                .ok()?;
            let s = String::from_utf8(raw).ok()?;
            let (id, secret) = s.split_once(':')?;
            let dec = |x: &str| {
                url::form_urlencoded::parse(format!("x={x}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
                    .unwrap_or_default()
            };
            Some((dec(id), dec(secret)))
        });

    let data = lock(&app.data);
    let tenant = data
        .tenants
        .iter()
        .find(|t| t.answers_to(&tenant_name))
        .ok_or_else(|| {
            (
                400,
                "invalid_request",
                90002,
                format!("Tenant '{tenant_name}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."),
            )
        })?;
    let grant = form
        .get("grant_type")
        .filter(|g| !g.is_empty())
        .ok_or_else(|| missing("grant_type"))?;
    if grant != "client_credentials" {
        return Err((
            400,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type.".to_string(),
        ));
    }
    let client_id = form
        .get("client_id")
        .cloned()
        .filter(|c| !c.is_empty())
        .or_else(|| basic.as_ref().map(|(id, _)| id.clone()))
        .ok_or_else(|| missing("client_id"))?;
    let scope = form
        .get("scope")
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| missing("scope"))?;
    check_scope(scope, &own_base)?;
    let app_reg = tenant.app(&client_id).ok_or_else(|| {
        (
            400,
            "unauthorized_client",
            700016,
            format!("Application with identifier '{client_id}' was not found in the directory '{}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", tenant.initial_domain),
        )
    })?;

    let secret = form
        .get("client_secret")
        .cloned()
        .or_else(|| basic.as_ref().map(|(_, s)| s.clone()));
    let assertion_value = form.get("client_assertion").filter(|a| !a.is_empty());
    if let Some(assertion) = assertion_value {
        match form.get("client_assertion_type").map(String::as_str) {
            Some(JWT_BEARER) => {}
            None | Some("") => return Err((
                400,
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'client_assertion_type'."
                    .into(),
            )),
            Some(other) => {
                return Err((
                    400,
                    "invalid_request",
                    700020,
                    format!(
                        "The client assertion type '{other}' is not supported. Use '{JWT_BEARER}'."
                    ),
                ))
            }
        }
        let issuer = format!("{}/_emulator/oidc", app.base_url());
        let own_issuer = format!("{}/_emulator/oidc", public_base(app, &parts));
        if assertion::issued_by(assertion, &issuer) {
            assertion::verify_federated(assertion, app_reg, &issuer, &app.oidc_key)?;
        } else if assertion::issued_by(assertion, &own_issuer) {
            assertion::verify_federated(assertion, app_reg, &own_issuer, &app.oidc_key)?;
        } else {
            assertion::verify_certificate(assertion, app_reg, tenant, &own_base)?;
        }
    } else if let Some(secret) = secret {
        if app_reg.client_secret.as_deref() != Some(secret.as_str()) || secret.is_empty() {
            return Err((
                401,
                "invalid_client",
                7000215,
                format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."),
            ));
        }
    } else {
        return Err((
            401,
            "invalid_client",
            7000216,
            "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.".into(),
        ));
    }

    let lifetime = app_reg.token_lifetime_secs;
    let token = crate::jwt::issue(
        &tenant.id,
        &app_reg.client_id,
        &app_reg.roles,
        i64::try_from(lifetime).unwrap_or(3599),
    )
    .ok_or_else(|| {
        (
            500,
            "server_error",
            50000,
            "There was an error issuing a token.".to_string(),
        )
    })?;
    drop(data);
    let mut resp = plain_json(
        StatusCode::OK,
        &json!({"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": token}),
    );
    no_store(&mut resp);
    Ok(resp)
}
