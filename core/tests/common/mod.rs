//! Test helpers: an emulator per test and its control API.
#![allow(dead_code)]

use entra_invite::{Client, Settings};
use entra_invite_emulator::{
    Config, Emulator, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT,
};
use serde_json::{json, Value};

pub struct Env {
    pub emu: Emulator,
    pub base: String,
    http: reqwest::Client,
}

impl Env {
    pub async fn start() -> Env {
        let emu = Emulator::start(Config::default())
            .await
            .expect("emulator starts");
        let base = emu.base_url().to_string();
        Env {
            emu,
            base,
            http: reqwest::Client::new(),
        }
    }

    pub fn settings(&self) -> Settings {
        Settings {
            tenant: Some(DEFAULT_TENANT.into()),
            client_id: Some(DEFAULT_CLIENT_ID.into()),
            client_secret: Some(DEFAULT_CLIENT_SECRET.into()),
            graph_url: Some(self.base.clone()),
            ..Default::default()
        }
    }

    pub fn client(&self) -> Client {
        self.settings().build().expect("client builds")
    }

    pub async fn control(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/_emulator/{}", self.base, path);
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut r = self.http.request(m, &url);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let resp = r.send().await.expect("control API answers");
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub async fn counters(&self) -> Value {
        self.control("GET", "counters", None).await
    }

    pub async fn counter(&self, name: &str) -> u64 {
        self.counters().await[name].as_u64().unwrap_or(0)
    }

    /// Requests counted for a route key such as `POST /v1.0/invitations` (all statuses).
    pub async fn route_count(&self, route: &str) -> u64 {
        let c = self.counters().await;
        c["requests"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter(|(k, _)| k.starts_with(&format!("{route} ")))
                    .map(|(_, v)| v.as_u64().unwrap_or(0))
                    .sum()
            })
            .unwrap_or(0)
    }

    pub async fn faults(&self, f: Value) {
        self.control("PUT", "faults", Some(f)).await;
    }

    pub async fn redeem(&self, email: &str) -> Value {
        self.control("POST", "redeem", Some(json!({"email": email})))
            .await
    }

    pub async fn add_user(&self, u: Value) -> Value {
        self.control("POST", "users", Some(u)).await
    }
}
