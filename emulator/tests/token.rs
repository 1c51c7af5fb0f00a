//! The token endpoint: client secrets (form and Basic), scopes, tenants, AADSTS errors.

mod common;

use base64::Engine;
use common::{secret_form as form, start, SCOPE};
use entra_invite_emulator::{
    DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID, DEFAULT_VERIFIED_DOMAIN,
};
use serde_json::Value;

/// A token request the endpoint refuses: (what, tenant, form, status, error, AADSTS code).
type Refusal<'a> = (
    &'a str,
    &'a str,
    &'a [(&'a str, &'a str)],
    u16,
    &'a str,
    u64,
);

async fn aad_error(r: reqwest::Response, status: u16, error: &str, code: u64) -> Value {
    aad_error_in("", r, status, error, code).await
}

/// Asserts an AADSTS error body for one `case` of several, which a failure names.
async fn aad_error_in(
    case: &str,
    r: reqwest::Response,
    status: u16,
    error: &str,
    code: u64,
) -> Value {
    assert_eq!(r.status().as_u16(), status, "{case}");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], error, "{case}: {v}");
    assert_eq!(v["error_codes"][0], code, "{case}: {v}");
    let d = v["error_description"].as_str().unwrap();
    assert!(d.starts_with(&format!("AADSTS{code}: ")), "{case}: {d}");
    assert!(
        d.contains("\r\nTrace ID: ")
            && d.contains("\r\nCorrelation ID: ")
            && d.contains("\r\nTimestamp: "),
        "{case}: {d}"
    );
    for k in ["timestamp", "trace_id", "correlation_id"] {
        assert!(v[k].is_string(), "{case}: {k}");
    }
    v
}

#[tokio::test]
async fn secret_in_form_for_every_tenant_form() {
    let env = start().await;
    for tenant in [
        "contoso.onmicrosoft.com",
        DEFAULT_TENANT_ID,
        DEFAULT_VERIFIED_DOMAIN,
        "CONTOSO.COM",
    ] {
        let r = env
            .token_response(
                tenant,
                &form(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SCOPE),
            )
            .await;
        assert_eq!(r.status(), 200, "{tenant}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["token_type"], "Bearer");
        assert_eq!(v["expires_in"], 3599);
        assert_eq!(v["ext_expires_in"], 3599);
        let tok = v["access_token"].as_str().unwrap();
        let claims: Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(tok.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(claims["tid"], DEFAULT_TENANT_ID);
        assert_eq!(claims["appid"], DEFAULT_CLIENT_ID);
        assert!(claims["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "User.Invite.All"));
        assert!(claims["exp"].as_u64().unwrap() > 0);
    }
    // The emulator's own base URL is a valid resource too.
    let own = format!("{}/.default", env.base);
    let r = env
        .token_response(
            "contoso.com",
            &form(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, &own),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(env.counters().await["tokenRequests"], 5);
}

#[tokio::test]
async fn secret_in_basic_auth() {
    let env = start().await;
    let r = env
        .http
        .post(env.url("/contoso.com/oauth2/v2.0/token"))
        .basic_auth(DEFAULT_CLIENT_ID, Some(DEFAULT_CLIENT_SECRET))
        .form(&[("grant_type", "client_credentials"), ("scope", SCOPE)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = env
        .http
        .post(env.url("/contoso.com/oauth2/v2.0/token"))
        .basic_auth(DEFAULT_CLIENT_ID, Some("wrong"))
        .form(&[("grant_type", "client_credentials"), ("scope", SCOPE)])
        .send()
        .await
        .unwrap();
    aad_error(r, 401, "invalid_client", 7000215).await;
}

#[tokio::test]
async fn errors() {
    let env = start().await;
    let no_secret = [
        ("grant_type", "client_credentials"),
        ("client_id", DEFAULT_CLIENT_ID),
        ("scope", SCOPE),
    ];
    let no_scope = [
        ("grant_type", "client_credentials"),
        ("client_id", DEFAULT_CLIENT_ID),
        ("client_secret", DEFAULT_CLIENT_SECRET),
    ];
    let cases: [Refusal; 8] = [
        (
            "unknown tenant",
            "nowhere.onmicrosoft.com",
            &form(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SCOPE),
            400,
            "invalid_request",
            90002,
        ),
        (
            "wrong secret",
            "contoso.com",
            &form(DEFAULT_CLIENT_ID, "nope", SCOPE),
            401,
            "invalid_client",
            7000215,
        ),
        (
            "unknown app",
            "contoso.com",
            &form("99999999-0000-0000-0000-000000000000", "x", SCOPE),
            400,
            "unauthorized_client",
            700016,
        ),
        (
            "a resource other than Graph",
            "contoso.com",
            &form(
                DEFAULT_CLIENT_ID,
                DEFAULT_CLIENT_SECRET,
                "https://management.azure.com/.default",
            ),
            400,
            "invalid_resource",
            500011,
        ),
        (
            "no secret",
            "contoso.com",
            &no_secret,
            401,
            "invalid_client",
            7000216,
        ),
        (
            "no grant type",
            "contoso.com",
            &[("client_id", DEFAULT_CLIENT_ID)],
            400,
            "invalid_request",
            900144,
        ),
        (
            "no scope",
            "contoso.com",
            &no_scope,
            400,
            "invalid_request",
            900144,
        ),
        (
            "password grant",
            "contoso.com",
            &[("grant_type", "password")],
            400,
            "unsupported_grant_type",
            70003,
        ),
    ];
    for (what, tenant, form, status, error, code) in cases {
        let r = env.token_response(tenant, form).await;
        aad_error_in(what, r, status, error, code).await;
    }
    for scope in [
        "https://graph.microsoft.com/.default https://management.azure.com/.default",
        "https://graph.microsoft.com/User.Read",
    ] {
        let r = env
            .token_response(
                "contoso.com",
                &form(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, scope),
            )
            .await;
        assert_eq!(r.status(), 400, "{scope}");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["error"], "invalid_scope", "{scope}");
    }
    // JSON instead of a form: the parameters are simply not there.
    let r = env
        .http
        .post(env.url("/contoso.com/oauth2/v2.0/token"))
        .header("client-request-id", "corr-123")
        .json(&serde_json::json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    let v = aad_error(r, 400, "invalid_request", 900144).await;
    assert_eq!(v["correlation_id"], "corr-123");
}

#[tokio::test]
async fn app_token_lifetime_and_roles_from_control_api() {
    let env = start().await;
    env.control_post(
        "/_emulator/apps",
        serde_json::json!({"clientId": "abc", "clientSecret": "s3", "roles": ["User.Read.All"], "tokenLifetimeSecs": 60}),
    )
    .await;
    let r = env
        .token_response("contoso.com", &form("abc", "s3", SCOPE))
        .await;
    let v = common::ok_json(r, "abc").await;
    assert_eq!(v["expires_in"], 60);
    let tok = v["access_token"].as_str().unwrap();
    assert_eq!(env.get(tok, "/v1.0/users").await.status(), 200);
    assert_eq!(
        env.invite_status(tok, common::invitation("z@fabrikam.com"))
            .await,
        401
    );
}
