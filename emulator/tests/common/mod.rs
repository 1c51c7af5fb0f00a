//! Shared helpers for the integration tests: start an emulator, get tokens, call routes.
#![allow(dead_code)]

use entra_invite_emulator::{Config, Emulator, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET};
use serde_json::{json, Value};

pub struct Env {
    pub emu: Emulator,
    pub base: String,
    pub http: reqwest::Client,
}

pub async fn start() -> Env {
    start_with(Config::default()).await
}

pub async fn start_with(config: Config) -> Env {
    let emu = Emulator::start(config).await.expect("emulator starts");
    let base = emu.base_url().to_string();
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    Env { emu, base, http }
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
        let r = self
            .token_response(
                "contoso.onmicrosoft.com",
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", client_id),
                    ("client_secret", secret),
                    ("scope", "https://graph.microsoft.com/.default"),
                ],
            )
            .await;
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.expect("json");
        v["access_token"].as_str().expect("token").to_string()
    }

    /// A static token from the control API with the given roles.
    pub async fn static_token(&self, body: Value) -> String {
        let v = self.control_post("/_emulator/tokens", body).await;
        v["access_token"].as_str().expect("token").to_string()
    }

    pub async fn control_post(&self, path: &str, body: Value) -> Value {
        let r = self
            .http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("control");
        assert!(r.status().is_success(), "{path}: {}", r.status());
        r.json().await.expect("json")
    }

    pub async fn control_get(&self, path: &str) -> Value {
        self.http
            .get(self.url(path))
            .send()
            .await
            .expect("control")
            .json()
            .await
            .expect("json")
    }

    pub async fn put_faults(&self, faults: Value) {
        let r = self
            .http
            .put(self.url("/_emulator/faults"))
            .json(&faults)
            .send()
            .await
            .expect("faults");
        assert_eq!(r.status(), 200, "{:?}", r.text().await);
    }

    pub async fn invite(&self, token: &str, body: Value) -> reqwest::Response {
        self.http
            .post(self.url("/v1.0/invitations"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .expect("invite")
    }

    pub async fn get(&self, token: &str, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("get")
    }

    pub async fn counters(&self) -> Value {
        self.control_get("/_emulator/counters").await
    }
}

pub fn invitation(email: &str) -> Value {
    json!({"invitedUserEmailAddress": email, "inviteRedirectUrl": "https://myapps.microsoft.com"})
}

/// Asserts a Graph error body and returns it.
pub async fn graph_error(r: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(r.status().as_u16(), status);
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(
        ct.starts_with("application/json;odata.metadata=minimal"),
        "{ct}"
    );
    let rid = r
        .headers()
        .get("request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let v: Value = r.json().await.expect("json error body");
    assert_eq!(v["error"]["code"], code, "{v}");
    assert_eq!(v["error"]["innerError"]["request-id"], rid.as_str());
    assert!(v["error"]["innerError"]["date"].is_string());
    assert!(v["error"]["innerError"]["client-request-id"].is_string());
    v
}
