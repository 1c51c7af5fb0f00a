//! Shared helpers for the integration tests: start an emulator, get tokens, call routes.
#![allow(dead_code)]

use entra_invite_emulator::{
    Config, Emulator, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT,
};
use serde_json::{json, Value};

pub struct Env {
    pub emu: Emulator,
    pub base: String,
    pub http: reqwest::Client,
}

pub async fn start() -> Env {
    start_with(Config::default()).await
}

/// A started emulator and a token for its default app: how most tests begin.
pub async fn start_signed_in() -> (Env, String) {
    let env = start().await;
    let tok = env.token().await;
    (env, tok)
}

pub async fn start_with(config: Config) -> Env {
    let emu = Emulator::start(config).await.expect("emulator starts");
    let base = emu.base_url().to_string();
    Env {
        emu,
        base,
        http: client(),
    }
}

/// A client that reaches the emulator directly, whatever proxy the machine sets.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client")
}

/// A client that trusts the emulator's self-signed certificate (`pem`).
pub fn https_client(pem: &str) -> reqwest::Client {
    let cert = reqwest::Certificate::from_pem(pem.as_bytes()).expect("certificate");
    reqwest::Client::builder()
        .no_proxy()
        .add_root_certificate(cert)
        .build()
        .expect("client")
}

/// A GET of a whole `url` with `token`, through a client of the test's own.
pub async fn get_with(http: &reqwest::Client, url: &str, token: &str) -> reqwest::Response {
    get_url(http, url, token, &[], false).await
}

/// A token for the default app from the control API at `base`, through `http`.
pub async fn control_token(http: &reqwest::Client, base: &str) -> String {
    let r = http
        .post(format!("{base}/_emulator/tokens"))
        .json(&json!({}))
        .send()
        .await
        .expect("control");
    access_token(&json(r).await)
}

/// The JSON body of an answer.
pub async fn json(r: reqwest::Response) -> Value {
    r.json().await.expect("json body")
}

/// The scope every app asks the token endpoint for.
pub const SCOPE: &str = "https://graph.microsoft.com/.default";

/// The form of a client-credentials token request with a client secret.
pub fn secret_form<'a>(
    client_id: &'a str,
    secret: &'a str,
    scope: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
        ("scope", scope),
    ]
}

/// A token for the default app from the token endpoint at `base`, through `http` (the
/// binary and HTTPS tests have no [`Env`]).
pub async fn default_token(http: &reqwest::Client, base: &str) -> String {
    token_at(
        http,
        base,
        DEFAULT_TENANT,
        DEFAULT_CLIENT_ID,
        DEFAULT_CLIENT_SECRET,
    )
    .await
}

async fn token_at(
    http: &reqwest::Client,
    base: &str,
    tenant: &str,
    client_id: &str,
    secret: &str,
) -> String {
    let r = http
        .post(format!("{base}/{tenant}/oauth2/v2.0/token"))
        .form(&secret_form(client_id, secret, SCOPE))
        .send()
        .await
        .expect("token request");
    assert_eq!(r.status(), 200, "{tenant} {client_id}");
    access_token(&json(r).await)
}

/// The `access_token` of a token answer.
pub fn access_token(v: &Value) -> String {
    v["access_token"].as_str().expect("token").to_string()
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn token_response(&self, tenant: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/{tenant}/oauth2/v2.0/token")))
            .form(form)
            .send()
            .await
            .expect("token request")
    }

    /// A token for the default app through the real token endpoint.
    pub async fn token(&self) -> String {
        self.token_for(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
            .await
    }

    pub async fn token_for(&self, client_id: &str, secret: &str) -> String {
        self.token_in(DEFAULT_TENANT, client_id, secret).await
    }

    /// A token for `client_id` with `secret` from `tenant`'s token endpoint, which must grant it.
    pub async fn token_in(&self, tenant: &str, client_id: &str, secret: &str) -> String {
        token_at(&self.http, &self.base, tenant, client_id, secret).await
    }

    /// A static token from the control API with the given roles.
    pub async fn static_token(&self, body: Value) -> String {
        access_token(&self.control_post("/_emulator/tokens", body).await)
    }

    /// Sends a JSON body to `path` without a token (the control API), whatever the answer.
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> reqwest::Response {
        self.http
            .request(method, self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// POSTs a JSON body without a token, whatever the answer.
    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.send_json(reqwest::Method::POST, path, body).await
    }

    /// POSTs a JSON body without a token and asserts the answer's status.
    pub async fn post_status(&self, path: &str, body: &Value, status: u16) {
        let r = self.post(path, body).await;
        assert_eq!(r.status().as_u16(), status, "{path} {body}");
    }

    /// POSTs `body` as it is, with `content_type` and, when given, a bearer `token`.
    pub async fn post_raw(
        &self,
        token: Option<&str>,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        let mut req = self.http.post(self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("post")
    }

    /// Sends `method` to `path` without a token or body, whatever the answer.
    pub async fn bare(&self, method: reqwest::Method, path: &str) -> reqwest::Response {
        self.http
            .request(method, self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// POSTs to the control API, which must accept it, and reads the answer.
    pub async fn control_post(&self, path: &str, body: Value) -> Value {
        let r = self.post(path, &body).await;
        assert!(r.status().is_success(), "{path}: {}", r.status());
        json(r).await
    }

    pub async fn control_get(&self, path: &str) -> Value {
        json(self.bare(reqwest::Method::GET, path).await).await
    }

    pub async fn put_faults(&self, faults: Value) {
        let r = self
            .send_json(reqwest::Method::PUT, "/_emulator/faults", &faults)
            .await;
        assert_eq!(r.status(), 200, "{:?}", r.text().await);
    }

    /// POSTs a JSON body with `token`; a transport error is the caller's (dropped connections).
    pub async fn try_post_as(
        &self,
        token: &str,
        path: &str,
        body: &Value,
    ) -> reqwest::Result<reqwest::Response> {
        self.http
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
    }

    /// POSTs a JSON body with `token`, whatever the answer.
    pub async fn post_as(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.try_post_as(token, path, body).await.expect("post")
    }

    /// Sends an invitation; a transport error is the caller's (dropped connections).
    pub async fn try_invite(
        &self,
        token: &str,
        body: &Value,
    ) -> reqwest::Result<reqwest::Response> {
        self.try_post_as(token, "/v1.0/invitations", body).await
    }

    pub async fn invite(&self, token: &str, body: Value) -> reqwest::Response {
        self.try_invite(token, &body).await.expect("invite")
    }

    /// Sends an invitation that must be created (201) and reads the answer.
    pub async fn invite_created(&self, token: &str, body: Value) -> Value {
        let r = self.invite(token, body.clone()).await;
        assert_eq!(r.status(), 201, "{body}");
        json(r).await
    }

    /// Invites `email`, which must be refused with `status` and `code`; the error body.
    pub async fn invite_refused(&self, token: &str, email: &str, status: u16, code: &str) -> Value {
        let r = self.invite(token, invitation(email)).await;
        graph_error_in(email, r, status, code).await
    }

    /// Seeds `user`, then invites `email`, which that user's existence must make the API
    /// refuse (400 `BadRequest`); the user's id and the error body.
    pub async fn invite_existing(&self, token: &str, user: Value, email: &str) -> (String, Value) {
        let u = self.seed_user(user).await;
        let id = u["id"].as_str().expect("user id").to_string();
        (
            id,
            self.invite_refused(token, email, 400, "BadRequest").await,
        )
    }

    /// The status of the invitation's answer.
    pub async fn invite_status(&self, token: &str, body: Value) -> u16 {
        self.invite(token, body).await.status().as_u16()
    }

    /// The invitation's JSON answer.
    pub async fn invite_json(&self, token: &str, body: Value) -> Value {
        json(self.invite(token, body).await).await
    }

    pub async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        get_with(&self.http, &self.url(path), token).await
    }

    /// GETs `path` with `token`, which must be refused with `status` and `code`; the error body.
    pub async fn get_refused(&self, token: &str, path: &str, status: u16, code: &str) -> Value {
        graph_error_in(path, self.get(token, path).await, status, code).await
    }

    /// The JSON answer to a GET with `token`.
    pub async fn get_json(&self, token: &str, path: &str) -> Value {
        json(self.get(token, path).await).await
    }

    /// A GET of `path` with `token`, the `query` pairs (encoded here) appended, and
    /// `ConsistencyLevel: eventual` when `eventual` (Graph's advanced queries).
    pub async fn get_query(
        &self,
        token: &str,
        path: &str,
        query: &[(&str, &str)],
        eventual: bool,
    ) -> reqwest::Response {
        get_url(&self.http, &self.url(path), token, query, eventual).await
    }

    /// A GET of `path` with `token` and `ConsistencyLevel: eventual`.
    pub async fn get_eventual(&self, token: &str, path: &str) -> reqwest::Response {
        self.get_query(token, path, &[], true).await
    }

    /// Every page of a collection, from `path` through its `@odata.nextLink`s; each must be 200.
    pub async fn pages(&self, token: &str, path: &str, eventual: bool) -> Vec<Value> {
        let mut out = Vec::new();
        let mut next = Some(self.url(path));
        while let Some(url) = next {
            let r = get_url(&self.http, &url, token, &[], eventual).await;
            assert_eq!(r.status(), 200, "{url}");
            let v = json(r).await;
            next = v["@odata.nextLink"].as_str().map(String::from);
            out.push(v);
        }
        out
    }

    /// The user `id` with the `select`ed properties.
    pub async fn user(&self, token: &str, id: &str, select: &str) -> Value {
        self.get_json(token, &format!("/v1.0/users/{id}?$select={select}"))
            .await
    }

    /// Seeds a user through the control API; the user as stored.
    pub async fn seed_user(&self, user: Value) -> Value {
        self.control_post("/_emulator/users", user).await
    }

    pub async fn counters(&self) -> Value {
        self.control_get("/_emulator/counters").await
    }
}

async fn get_url(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    query: &[(&str, &str)],
    eventual: bool,
) -> reqwest::Response {
    let mut req = http.get(url).bearer_auth(token);
    if !query.is_empty() {
        req = req.query(query);
    }
    if eventual {
        req = req.header("ConsistencyLevel", "eventual");
    }
    req.send().await.expect("get")
}

/// The items of a collection answer.
pub fn values(v: &Value) -> &Vec<Value> {
    v["value"].as_array().expect("value array")
}

/// The id of the guest an invitation answer names.
pub fn guest_id(invitation: &Value) -> &str {
    invitation["invitedUser"]["id"]
        .as_str()
        .expect("invitedUser id")
}

/// The message of a Graph error body.
pub fn message(v: &Value) -> &str {
    v["error"]["message"].as_str().expect("error message")
}

/// An invitation that resets the redemption of the user `id` to `email`.
pub fn reset_invitation(email: &str, id: &str) -> Value {
    json!({"invitedUserEmailAddress": email, "inviteRedirectUrl": "https://x.example",
           "resetRedemption": true, "invitedUser": {"id": id}})
}

pub fn invitation(email: &str) -> Value {
    json!({"invitedUserEmailAddress": email, "inviteRedirectUrl": "https://myapps.microsoft.com"})
}

/// A response header as text ("" when absent or not text).
pub fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// The JSON body of an answer that must be 200; `what` names the request.
pub async fn ok_json(r: reqwest::Response, what: &str) -> Value {
    assert_eq!(r.status(), 200, "{what}");
    json(r).await
}

/// Asserts a Graph error body and returns it.
pub async fn graph_error(r: reqwest::Response, status: u16, code: &str) -> Value {
    graph_error_in("", r, status, code).await
}

/// [`graph_error`] for one `case` of several, which a failure names.
pub async fn graph_error_in(case: &str, r: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(r.status().as_u16(), status, "{case}");
    let ct = header(&r, "content-type");
    assert!(
        ct.starts_with("application/json;odata.metadata=minimal"),
        "{case}: {ct}"
    );
    let rid = header(&r, "request-id");
    let v: Value = r.json().await.expect("json error body");
    assert_eq!(v["error"]["code"], code, "{case}: {v}");
    assert_eq!(v["error"]["innerError"]["request-id"], rid.as_str());
    assert!(v["error"]["innerError"]["date"].is_string());
    assert!(v["error"]["innerError"]["client-request-id"].is_string());
    v
}
